namespace VoipPlatform.Sip.Transport;

/// <summary>
/// How this hop checks the servers it opens TLS connections to (<c>sips:</c> and <c>transport=tls</c> targets, RFC 3261
/// section 26.2). Bound from <c>Sip:TlsClient</c>. A server must always present a certificate for the name it was
/// asked for, issued by a CA of the system store or of <see cref="TrustedCaPath"/>; there is no "accept any" setting.
/// </summary>
public sealed class SipTlsClientOptions
{
    /// <summary>
    /// A PEM file of further CA certificates to trust besides the system store (a private PKI between carriers; the
    /// test CA in tests). Null or empty for the system store alone.
    /// </summary>
    public string? TrustedCaPath { get; set; }

    /// <summary>
    /// SHA-256 fingerprints (hex, colons allowed) of the only server certificates accepted; empty accepts any that
    /// passes the checks above. Pinning narrows the trust, it never replaces the name and chain checks.
    /// </summary>
    public string[] PinnedCertificates { get; set; } = [];

    /// <summary>How long connecting and the TLS handshake may take before the branch fails.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
