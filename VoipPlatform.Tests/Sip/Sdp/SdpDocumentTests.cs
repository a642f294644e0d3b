using System.Text;
using VoipPlatform.Sip.Sdp;

namespace VoipPlatform.Tests.Sip.Sdp;

public class SdpDocumentTests
{
    private const string Offer = """
        v=0
        o=- 1700000000 1 IN IP4 192.0.2.10
        s=Bria 6
        c=IN IP4 192.0.2.10
        t=0 0
        m=audio 54000 RTP/AVP 9 8 0 101
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=rtcp-mux
        a=ssrc:1234567 cname:abc def
        m=video 0 RTP/AVP 96
        c=IN IP4 192.0.2.11
        a=x-unknown:keep me  exactly

        """;

    private static byte[] Bytes(string sdp) => Encoding.UTF8.GetBytes(sdp.ReplaceLineEndings("\r\n"));

    [Fact]
    public void Reads_origin_connections_and_media()
    {
        SdpDocument sdp = SdpDocument.Parse(Bytes(Offer))!;
        Assert.Equal("192.0.2.10", sdp.OriginAddress);
        Assert.Equal("192.0.2.10", sdp.SessionConnectionAddress);
        Assert.Equal(
            [new SdpMedia("audio", 54000, "RTP/AVP", "9 8 0 101", null), new SdpMedia("video", 0, "RTP/AVP", "96", "192.0.2.11")],
            sdp.Media);
    }

    [Fact]
    public void Rewrites_addresses_and_ports_and_leaves_every_other_line_as_it_was()
    {
        SdpDocument sdp = SdpDocument.Parse(Bytes(Offer))!;
        sdp.SetConnectionAddress("127.0.0.1");
        sdp.SetMediaPort(0, 30000);
        string[] lines = Encoding.UTF8.GetString(sdp.ToBytes()).Split("\r\n");

        Assert.Contains("o=- 1700000000 1 IN IP4 127.0.0.1", lines);
        Assert.Contains("c=IN IP4 127.0.0.1", lines);
        Assert.Equal(2, lines.Count(l => l == "c=IN IP4 127.0.0.1")); // session and media level
        Assert.Contains("m=audio 30000 RTP/AVP 9 8 0 101", lines);
        Assert.Contains("m=video 0 RTP/AVP 96", lines);
        foreach (string kept in new[] { "s=Bria 6", "a=ssrc:1234567 cname:abc def", "a=x-unknown:keep me  exactly", "a=fmtp:101 0-15" })
        {
            Assert.Contains(kept, lines);
        }
    }

    [Fact]
    public void Ipv6_addresses_switch_the_address_type()
    {
        SdpDocument sdp = SdpDocument.Parse(Bytes(Offer))!;
        sdp.SetConnectionAddress("::1");
        Assert.Contains("c=IN IP6 ::1", Encoding.UTF8.GetString(sdp.ToBytes()));
    }

    [Theory]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\nv=0\n")]     // v= must come first
    [InlineData("v=0\nm=audio port RTP/AVP 0\n")]       // port not a number
    [InlineData("v=0\nc=IN IP4\n")]                     // incomplete connection line
    [InlineData("v=0\nthis is not sdp\n")]
    [InlineData("")]
    public void Refuses_what_is_not_sdp(string text) =>
        Assert.Null(SdpDocument.Parse(Bytes(text)));
}
