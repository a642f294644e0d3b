namespace VoipPlatform.Sip.Transport;

/// <summary>The transport a message travels on (RFC 3261 section 18).</summary>
public enum SipProtocol : byte
{
    /// <summary>Datagrams; the transaction layer retransmits.</summary>
    Udp,

    /// <summary>A stream; framed by Content-Length, nothing retransmitted.</summary>
    Tcp,

    /// <summary>TCP with TLS (RFC 3261 section 26.2).</summary>
    Tls,

    /// <summary>WebSocket (RFC 7118): one SIP message per WebSocket message; only on connections the peer opened.</summary>
    Ws,

    /// <summary>WebSocket over TLS (RFC 7118, Via token <c>WSS</c>).</summary>
    Wss,
}

/// <summary>How a protocol is named in a Via header and a <c>transport</c> URI parameter.</summary>
public static class SipProtocols
{
    /// <summary>RFC 3261 section 18.1.1: a request this large goes over a congestion-controlled transport.</summary>
    public const int MaxUdpRequestBytes = 1300;

    /// <summary>The Via transport token.</summary>
    public static ReadOnlySpan<byte> ViaToken(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "TCP"u8,
        SipProtocol.Tls => "TLS"u8,
        SipProtocol.Ws => "WS"u8,
        SipProtocol.Wss => "WSS"u8,
        _ => "UDP"u8,
    };

    /// <summary>The <c>transport</c> URI parameter value (RFC 3261 section 19.1.1, RFC 7118 section 5.2: <c>ws</c> for both WebSocket kinds).</summary>
    public static ReadOnlySpan<byte> UriParameter(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "tcp"u8,
        SipProtocol.Tls => "tls"u8,
        SipProtocol.Ws or SipProtocol.Wss => "ws"u8,
        _ => "udp"u8,
    };

    /// <summary>True for WebSocket flows: a hop can reach such a peer only over the connection the peer opened.</summary>
    public static bool IsWebSocket(SipProtocol protocol) => protocol is SipProtocol.Ws or SipProtocol.Wss;

    /// <summary>Reads a Via transport token; anything else not UDP is a stream here (read as TCP).</summary>
    public static SipProtocol FromViaToken(ReadOnlySpan<byte> token) =>
        token.IsEmpty || System.Text.Ascii.EqualsIgnoreCase(token, "UDP"u8) ? SipProtocol.Udp
        : System.Text.Ascii.EqualsIgnoreCase(token, "TLS"u8) ? SipProtocol.Tls
        : System.Text.Ascii.EqualsIgnoreCase(token, "WS"u8) ? SipProtocol.Ws
        : System.Text.Ascii.EqualsIgnoreCase(token, "WSS"u8) ? SipProtocol.Wss
        : SipProtocol.Tcp;
}
