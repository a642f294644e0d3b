namespace VoipPlatform.Sip.Transport;

/// <summary>Where a SIP service listens and whom it may send to. Bound from the <c>Sip</c> configuration section.</summary>
public sealed class SipTransportOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip";

    /// <summary>The standard SIP port (RFC 3261 section 19.1.2).</summary>
    public const int DefaultSipPort = 5060;

    /// <summary>Address to bind; loopback by default so that a local run exposes nothing.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>UDP port to bind.</summary>
    public int Port { get; set; } = DefaultSipPort;

    /// <summary>Host written into Via and Record-Route; the listen address when not set (or when that is a wildcard).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Socket receive buffer. Small default buffers drop datagrams from about 2,000 calls/s.</summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Socket send buffer.</summary>
    public int SendBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Networks (CIDR) this service may send SIP to. Answers go to the Via address and requests to the
    /// Request-URI, both chosen by the sender, so without this list the service could be made to send anywhere.
    /// Empty means loopback only (127.0.0.0/8 and ::1).
    /// </summary>
    public string[] EgressAllowList { get; set; } = [];

    /// <summary>TCP flows idle this long are closed (Kamailio's <c>tcp_connection_lifetime</c>).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Port for SIP over TLS (RFC 3261 section 26.2; 5061 by convention); 0 leaves TLS off.</summary>
    public int TlsPort { get; set; }

    /// <summary>The server certificate for TLS: a PKCS#12 (.pfx) file with its private key. Required with <see cref="TlsPort"/>.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/>, if it has one.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>How servers this hop opens TLS connections to are checked (<c>Sip:TlsClient</c>).</summary>
    public SipTlsClientOptions TlsClient { get; set; } = new();

    /// <summary>
    /// Port for SIP over WebSocket (RFC 7118), for browser clients; 0 leaves it off. The HTTP/1.1 upgrade must ask for
    /// the <c>sip</c> subprotocol.
    /// </summary>
    public int WebSocketPort { get; set; }

    /// <summary>Port for SIP over secure WebSocket (WSS), with the certificate of <see cref="TlsCertificatePath"/>; 0 leaves it off.</summary>
    public int SecureWebSocketPort { get; set; }

    /// <summary>
    /// WebSocket flows with no SIP message (or CRLF keep-alive) either way for this long are closed. Longer than the
    /// TCP default: a registered browser may be silent until its next re-REGISTER (JsSIP's default is 600 s).
    /// </summary>
    public TimeSpan WebSocketIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a WebSocket ping frame is sent on an open flow (keeps NAT and load-balancer state alive); zero for none.</summary>
    public TimeSpan WebSocketKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
