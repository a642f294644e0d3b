using System.Text;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Tests.Sip.Transport;

/// <summary>Finding message boundaries in a TCP stream (RFC 3261 section 18.3) and CRLF keep-alives (RFC 5626 section 3.5.1).</summary>
public sealed class StreamFramingTests
{
    private const string Message = "OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\nVia: SIP/2.0/TCP h\r\n\r\nhello";

    private static StreamFraming.Frame Next(string text, out int length, out bool ping) =>
        StreamFraming.Next(Encoding.ASCII.GetBytes(text), out length, out ping);

    [Fact]
    public void A_message_ends_after_its_content_length_even_in_compact_form_with_the_next_one_behind_it()
    {
        Assert.Equal(StreamFraming.Frame.Message, Next(Message + "INVITE sip:x", out int length, out _));
        Assert.Equal(Message.Length, length);
    }

    [Fact]
    public void A_message_whose_body_has_not_all_arrived_is_incomplete()
    {
        Assert.Equal(StreamFraming.Frame.Incomplete, Next(Message[..^2], out _, out _));
        Assert.Equal(StreamFraming.Frame.Incomplete, Next("OPTIONS sip:a@b SIP/2.0\r\nVia: x", out _, out _));
    }

    [Fact]
    public void A_double_crlf_is_a_ping_and_a_single_one_a_pong()
    {
        Assert.Equal(StreamFraming.Frame.KeepAlive, Next("\r\n\r\n", out int length, out bool ping));
        Assert.Equal((4, true), (length, ping));
        Assert.Equal(StreamFraming.Frame.KeepAlive, Next("\r\nOPTIONS", out length, out ping));
        Assert.Equal((2, false), (length, ping));
    }

    [Fact]
    public void Without_content_length_the_body_is_empty()
    {
        Assert.Equal(StreamFraming.Frame.Message, Next("BYE sip:a@b SIP/2.0\r\nVia: x\r\n\r\nBYE", out int length, out _));
        Assert.Equal("BYE sip:a@b SIP/2.0\r\nVia: x\r\n\r\n".Length, length);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: lots\r\n\r\n")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: 9999999\r\n\r\n")]
    public void A_content_length_that_cannot_be_honoured_is_malformed(string text) =>
        Assert.Equal(StreamFraming.Frame.Malformed, Next(text, out _, out _));

    [Fact]
    public void Endless_headers_are_malformed_rather_than_buffered_forever() =>
        Assert.Equal(StreamFraming.Frame.Malformed, Next("INVITE sip:a@b SIP/2.0\r\n" + new string('X', StreamFraming.MaxMessageBytes + 1), out _, out _));
}
