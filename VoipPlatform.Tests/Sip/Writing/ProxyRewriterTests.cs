using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Writing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Writing;

public class ProxyRewriterTests
{
    private static SipMessage Parse(string text) => SipSamples.Parse(text);

    private static SipMessage Parse(OutgoingMessage bytes) => SipSamples.Parse(bytes.Bytes);

    private static string[] Lines(OutgoingMessage message) =>
        Encoding.ASCII.GetString(message.Bytes).Split("\r\n");

    [Fact]
    public void Forwarded_request_gets_this_hops_via_record_route_and_one_less_max_forwards()
    {
        using SipMessage invite = Parse(SipSamples.InviteWithSdp);
        using OutgoingMessage forwarded = ProxyRewriter.ForwardRequest(invite, new ForwardedRequest
        {
            ViaSentBy = "127.0.0.1:5060"u8,
            Branch = "z9hG4bKvptest"u8,
            SourceAddress = "127.0.0.1"u8,
            SourcePort = 40000,
            RecordRouteUri = "sip:127.0.0.1:5060;lr"u8,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8,
        });
        string[] lines = Lines(forwarded);

        Assert.Equal("INVITE sip:bob@127.0.0.1:5090 SIP/2.0", lines[0]);
        Assert.Equal("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvptest", lines[1]);
        // The sender asked for rport: received and rport are filled in (RFC 3581).
        Assert.Equal("Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0;received=127.0.0.1;rport=40000", lines[2]);
        Assert.Equal("Record-Route: <sip:127.0.0.1:5060;lr>", lines[3]);
        Assert.Equal("X-VP-Traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", lines[4]);
        Assert.Contains("Max-Forwards: 69", lines);
        // Headers the proxy does not own pass byte for byte.
        Assert.Contains("X-Custom:  keep   this   exactly", lines);

        using SipMessage reparsed = Parse(forwarded);
        Assert.Equal(129, reparsed.Body.Length);
        Assert.Equal(Encoding.ASCII.GetString(invite[invite.Body]), Encoding.ASCII.GetString(reparsed[reparsed.Body]));
    }

    [Fact]
    public void Own_route_entry_is_removed_and_the_rest_of_the_route_set_kept()
    {
        using SipMessage ack = Parse(SipSamples.Ack);
        using OutgoingMessage forwarded = ProxyRewriter.ForwardRequest(ack, new ForwardedRequest
        {
            ViaSentBy = "127.0.0.1:5060"u8,
            Branch = "z9hG4bKvpack"u8,
            RemoveTopRoute = true,
        });
        string[] lines = Lines(forwarded);
        Assert.Contains("Route: <sip:127.0.0.1:5070;lr>", lines);
        Assert.DoesNotContain(lines, l => l.Contains("127.0.0.1:5060;lr"));
        Assert.DoesNotContain(lines, l => l.StartsWith("Record-Route"));

        using SipMessage bye = Parse(SipSamples.Bye); // one Route entry per header line
        using OutgoingMessage forwardedBye = ProxyRewriter.ForwardRequest(bye, new ForwardedRequest
        {
            ViaSentBy = "127.0.0.1:5060"u8,
            Branch = "z9hG4bKvpbye"u8,
            RemoveTopRoute = true,
        });
        Assert.Equal(["Route: <sip:127.0.0.1:5070;lr>"], Lines(forwardedBye).Where(l => l.StartsWith("Route")));
    }

    [Fact]
    public void Forwarded_response_loses_only_the_top_via_even_inside_a_list()
    {
        using SipMessage ringing = Parse(SipSamples.Ringing);
        using OutgoingMessage forwarded = ProxyRewriter.ForwardResponse(ringing);
        string[] lines = Lines(forwarded);
        Assert.Equal("SIP/2.0 180 Ringing", lines[0]);
        Assert.Equal("Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0;received=127.0.0.1;rport=5091", lines[1]);
        Assert.Contains("Record-Route: <sip:127.0.0.1:5060;lr>", lines);

        using SipMessage ok = Parse(SipSamples.Ok);
        using OutgoingMessage forwardedOk = ProxyRewriter.ForwardResponse(ok);
        using SipMessage reparsed = Parse(forwardedOk);
        Assert.Equal("z9hG4bK-1-1-0", Encoding.ASCII.GetString(reparsed.TopVia.Branch));
        Assert.Equal(10, reparsed.Body.Length);
    }

    [Fact]
    public void Ack_for_a_non_2xx_reuses_the_invite_branch_and_the_response_to_tag()
    {
        using SipMessage invite = Parse(SipSamples.InviteWithSdp);
        using SipMessage busy = Parse(SipSamples.Ringing.Replace("180 Ringing", "486 Busy Here"));
        using OutgoingMessage ack = ProxyRewriter.BuildAck(invite, busy);
        using SipMessage parsed = Parse(ack);

        Assert.Equal(SipMethod.Ack, parsed.Method);
        Assert.Equal("sip:bob@127.0.0.1:5090", Encoding.ASCII.GetString(parsed[parsed.RequestUri]));
        Assert.Equal("z9hG4bK-1-1-0", Encoding.ASCII.GetString(parsed.TopVia.Branch));
        Assert.Equal(1, parsed.CSeqNumber);
        Assert.Equal(SipMethod.Ack, parsed.CSeqMethod);
        Assert.Equal("99", Encoding.ASCII.GetString(parsed.ToTag));
        Assert.Equal(1, parsed.Headers.ToArray().Count(h => h.Kind == HeaderKind.Via));
    }

    [Fact]
    public void Cancel_matches_the_invite_it_cancels()
    {
        using SipMessage invite = Parse(SipSamples.InviteWithSdp);
        using OutgoingMessage cancel = ProxyRewriter.BuildCancel(invite);
        using SipMessage parsed = Parse(cancel);
        Assert.Equal(SipMethod.Cancel, parsed.Method);
        Assert.Equal(SipMethod.Cancel, parsed.CSeqMethod);
        Assert.Equal(invite.CSeqNumber, parsed.CSeqNumber);
        Assert.Equal("z9hG4bK-1-1-0", Encoding.ASCII.GetString(parsed.TopVia.Branch));
        Assert.True(parsed.ToTag.IsEmpty);
    }
}
