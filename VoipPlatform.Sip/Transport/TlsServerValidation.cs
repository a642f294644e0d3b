using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// The client side of TLS (RFC 3261 section 26.2, RFC 5922): the options for a connection to a server that must prove
/// a name, with its certificate checked against the system store, the configured CAs and the pins of
/// <see cref="SipTlsClientOptions"/>.
/// </summary>
internal sealed class TlsServerValidation
{
    private readonly X509Certificate2Collection _trusted = [];
    private readonly string[] _pins;

    /// <exception cref="InvalidOperationException">The configured CA file does not exist or holds no certificate.</exception>
    public TlsServerValidation(SipTlsClientOptions options)
    {
        if (!string.IsNullOrEmpty(options.TrustedCaPath))
        {
            if (!File.Exists(options.TrustedCaPath)) throw new InvalidOperationException($"Sip:TlsClient:TrustedCaPath ('{options.TrustedCaPath}') names no file.");
            _trusted.ImportFromPemFile(options.TrustedCaPath);
            if (_trusted.Count == 0) throw new InvalidOperationException("Sip:TlsClient:TrustedCaPath holds no PEM certificate.");
        }
        _pins = options.PinnedCertificates.Select(p => p.Replace(":", "", StringComparison.Ordinal).Trim()).Where(p => p.Length > 0).ToArray();
        HandshakeTimeout = options.HandshakeTimeout;
    }

    /// <summary>How long connecting and the handshake may take.</summary>
    public TimeSpan HandshakeTimeout { get; }

    /// <summary>The handshake options for a connection to <paramref name="serverName"/> (also its SNI).</summary>
    public SslClientAuthenticationOptions For(string serverName) => new()
    {
        TargetHost = serverName,
        RemoteCertificateValidationCallback = Validate,
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.None, // the system's choice: TLS 1.2 and 1.3
    };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0) return false;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && !ChainsToConfiguredCa(certificate, chain)) return false;
        if (_pins.Length == 0) return true;
        string fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        return _pins.Contains(fingerprint, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Not trusted by the system store: trusted when it chains to one of the configured CAs.</summary>
    private bool ChainsToConfiguredCa(X509Certificate certificate, X509Chain? presented)
    {
        if (_trusted.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a private CA publishes no revocation list here
        if (presented is not null)
        {
            foreach (X509ChainElement element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (certificate is X509Certificate2 presentedLeaf) return chain.Build(presentedLeaf);
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
