namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Real SIP messages (as SIPp and common phones write them) for parser and proxy tests.</summary>
public static class SipSamples
{
    public const string InviteWithSdp = """
        INVITE sip:bob@127.0.0.1:5090 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0;rport
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>
        Call-ID: 1-1@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:alice@127.0.0.1:5091>
        Max-Forwards: 70
        X-Custom:  keep   this   exactly
        Content-Type: application/sdp
        Content-Length: 129

        v=0
        o=user1 53655765 2353687637 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 6004 RTP/AVP 0
        a=rtpmap:0 PCMU/8000

        """;

    public const string Ringing = """
        SIP/2.0 180 Ringing
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvpabc, SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0;received=127.0.0.1;rport=5091
        Record-Route: <sip:127.0.0.1:5060;lr>
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>;tag=99
        Call-ID: 1-1@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:bob@127.0.0.1:5090>
        Content-Length: 0


        """;

    public const string Ok = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvpabc
        Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>;tag=99
        Call-ID: 1-1@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:bob@127.0.0.1:5090>
        Content-Type: application/sdp
        Content-Length: 10

        v=0
        s=-

        """;

    public const string Ack = """
        ACK sip:bob@127.0.0.1:5090 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-5
        Route: <sip:127.0.0.1:5060;lr>, <sip:127.0.0.1:5070;lr>
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>;tag=99
        Call-ID: 1-1@127.0.0.1
        CSeq: 1 ACK
        Max-Forwards: 70
        Content-Length: 0


        """;

    public const string Bye = """
        BYE sip:bob@127.0.0.1:5090 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-7
        Route: <sip:127.0.0.1:5060;lr>
        Route: <sip:127.0.0.1:5070;lr>
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>;tag=99
        Call-ID: 1-1@127.0.0.1
        CSeq: 2 BYE
        Max-Forwards: 70
        Content-Length: 0


        """;

    public const string Cancel = """
        CANCEL sip:bob@127.0.0.1:5090 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-1-1-0;rport
        From: "Alice" <sip:alice@127.0.0.1:5091>;tag=1SIPpTag001
        To: <sip:bob@127.0.0.1:5090>
        Call-ID: 1-1@127.0.0.1
        CSeq: 1 CANCEL
        Max-Forwards: 70
        Content-Length: 0


        """;

    /// <summary>A REGISTER in compact form with a folded header, as some phones send it.</summary>
    public const string CompactRegisterWithFolding = """
        REGISTER sip:example.test SIP/2.0
        v: SIP/2.0/UDP 127.0.0.1:5093;branch=z9hG4bKreg1
        f: <sip:1001@example.test>;tag=r1
        t: <sip:1001@example.test>
        i: reg-1@127.0.0.1
        CSeq: 7 REGISTER
        m: <sip:1001@127.0.0.1:5093>;expires=3600
        Subject: a subject
          folded onto two lines
        Max-Forwards: 70
        l: 0


        """;

    /// <summary>Parses wire bytes, failing the test (with the parser's reason) when they do not parse.</summary>
    public static VoipPlatform.Sip.Messages.SipMessage Parse(ReadOnlySpan<byte> bytes)
    {
        var status = VoipPlatform.Sip.Parsing.SipParser.TryParse(bytes, out var message, out string reason);
        Assert.True(status == VoipPlatform.Sip.Parsing.SipParseStatus.Ok, $"expected a parse, got {status}: {reason}");
        return message!;
    }

    /// <summary>Parses a sample.</summary>
    public static VoipPlatform.Sip.Messages.SipMessage Parse(string message) => Parse(Bytes(message));

    /// <summary>Turns a sample into wire bytes (CRLF line ends).</summary>
    public static byte[] Bytes(string message) => System.Text.Encoding.ASCII.GetBytes(message.ReplaceLineEndings("\r\n"));
}
