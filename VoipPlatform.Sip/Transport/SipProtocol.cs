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
        _ => "UDP"u8,
    };

    /// <summary>Reads a Via transport token; anything else not UDP is a stream here (TCP; later WS).</summary>
    public static SipProtocol FromViaToken(ReadOnlySpan<byte> token) =>
        token.IsEmpty || System.Text.Ascii.EqualsIgnoreCase(token, "UDP"u8) ? SipProtocol.Udp
        : System.Text.Ascii.EqualsIgnoreCase(token, "TLS"u8) ? SipProtocol.Tls
        : SipProtocol.Tcp;
}
