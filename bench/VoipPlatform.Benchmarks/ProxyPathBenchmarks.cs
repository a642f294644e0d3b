using System.Text;
using BenchmarkDotNet.Attributes;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Writing;

namespace VoipPlatform.Benchmarks;

/// <summary>
/// The per-message work of the proxy's forwarding path, without sockets: parse a typical INVITE with SDP (about 900
/// bytes), write the forwarded copy (new Via, received/rport, Record-Route, trace header, Max-Forwards − 1), and the
/// same for the 200 OK coming back. Issue 3's bar: at most 2 µs and 2 allocations per message.
/// </summary>
[MemoryDiagnoser]
public class ProxyPathBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes("""
        INVITE sip:1002@example.test SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---d8754z-;rport
        Max-Forwards: 70
        Contact: <sip:1001@192.0.2.10:5060;transport=UDP;ob>
        To: <sip:1002@example.test>
        From: "Alice" <sip:1001@example.test>;tag=5ae2f8b1
        Call-ID: NmE5ZjQ2MzI0YjkzOGUxN2QzYzlhYjc3ZWJiZDg5ZTA
        CSeq: 1 INVITE
        Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE
        Content-Type: application/sdp
        Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri
        User-Agent: Bria 6 release 6.5.2 stamp 104040
        Allow-Events: presence, kpml, talk, as-feature-event
        Content-Length: 312

        v=0
        o=- 1700000000 1 IN IP4 192.0.2.10
        s=Bria 6 release 6.5.2 stamp 104040
        c=IN IP4 192.0.2.10
        t=0 0
        m=audio 54000 RTP/AVP 9 8 0 101
        a=rtpmap:9 G722/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=ptime:20
        a=maxptime:60
        a=rtcp-mux
        a=ssrc:1234567 cname:abcdef

        """.ReplaceLineEndings("\r\n"));

    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvp0123456789abcdef
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---d8754z-;rport=5060;received=192.0.2.10
        Record-Route: <sip:127.0.0.1:5060;lr>
        Contact: <sip:1002@192.0.2.20:5062>
        To: <sip:1002@example.test>;tag=8f3a2b
        From: "Alice" <sip:1001@example.test>;tag=5ae2f8b1
        Call-ID: NmE5ZjQ2MzI0YjkzOGUxN2QzYzlhYjc3ZWJiZDg5ZTA
        CSeq: 1 INVITE
        Content-Length: 0


        """.ReplaceLineEndings("\r\n"));

    [Benchmark(Description = "INVITE: parse + Via + Record-Route + serialize")]
    public int ForwardInvite()
    {
        SipParser.TryParse(Invite, out SipMessage? message, out _);
        using (message)
        using (OutgoingMessage forwarded = ProxyRewriter.ForwardRequest(message!, new ForwardedRequest
        {
            ViaSentBy = "127.0.0.1:5060"u8,
            Branch = "z9hG4bKvp0123456789abcdef"u8,
            SourceAddress = "192.0.2.10"u8,
            SourcePort = 5060,
            RecordRouteUri = "sip:127.0.0.1:5060;lr"u8,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8,
        }))
        {
            return forwarded.Length;
        }
    }

    [Benchmark(Description = "200 OK: parse + remove top Via + serialize")]
    public int ForwardResponse()
    {
        SipParser.TryParse(Ok, out SipMessage? message, out _);
        using (message)
        using (OutgoingMessage forwarded = ProxyRewriter.ForwardResponse(message!))
        {
            return forwarded.Length;
        }
    }

    [Benchmark(Description = "INVITE: parse only")]
    public int ParseInvite()
    {
        SipParser.TryParse(Invite, out SipMessage? message, out _);
        using (message) return message!.HeaderCount;
    }
}
