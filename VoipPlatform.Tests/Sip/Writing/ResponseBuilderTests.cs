using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Writing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Writing;

public class ResponseBuilderTests
{
    private static SipMessage Parse(ReadOnlySpan<byte> bytes) => SipSamples.Parse(bytes);

    [Fact]
    public void Trying_copies_the_transaction_headers_without_a_to_tag()
    {
        using SipMessage invite = Parse(SipSamples.Bytes(SipSamples.InviteWithSdp));
        using OutgoingMessage trying = ResponseBuilder.Build(invite, SipStatus.Trying);
        using SipMessage parsed = Parse(trying.Bytes);
        Assert.Equal(100, parsed.StatusCode);
        Assert.Equal("Trying", Encoding.ASCII.GetString(parsed[parsed.ReasonPhrase]));
        Assert.Equal("z9hG4bK-1-1-0", Encoding.ASCII.GetString(parsed.TopVia.Branch));
        Assert.Equal("1-1@127.0.0.1", Encoding.ASCII.GetString(parsed.CallId));
        Assert.Equal(SipMethod.Invite, parsed.CSeqMethod);
        Assert.True(parsed.ToTag.IsEmpty);
        Assert.False(parsed.Has(HeaderKind.Contact));
    }

    [Fact]
    public void Final_responses_get_a_stable_to_tag_and_the_reason_asked_for()
    {
        using SipMessage invite = Parse(SipSamples.Bytes(SipSamples.InviteWithSdp));
        using OutgoingMessage first = ResponseBuilder.Build(invite, SipStatus.Forbidden, "Destination not allowed"u8);
        using OutgoingMessage second = ResponseBuilder.Build(invite, SipStatus.Forbidden);
        using SipMessage a = Parse(first.Bytes);
        using SipMessage b = Parse(second.Bytes);
        Assert.Equal("Destination not allowed", Encoding.ASCII.GetString(a[a.ReasonPhrase]));
        Assert.Equal("Forbidden", Encoding.ASCII.GetString(b[b.ReasonPhrase]));
        Assert.False(a.ToTag.IsEmpty);
        Assert.Equal(Encoding.ASCII.GetString(a.ToTag), Encoding.ASCII.GetString(b.ToTag));
    }

    [Fact]
    public void An_existing_to_tag_is_kept()
    {
        using SipMessage bye = Parse(SipSamples.Bytes(SipSamples.Bye));
        using OutgoingMessage response = ResponseBuilder.Build(bye, SipStatus.NotFound);
        using SipMessage parsed = Parse(response.Bytes);
        Assert.Equal("99", Encoding.ASCII.GetString(parsed.ToTag));
    }
}
