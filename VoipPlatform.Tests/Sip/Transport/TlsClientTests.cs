using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Transport;

/// <summary>
/// This hop opening TLS connections (RFC 3261 section 26.2) for <c>sips:</c> targets: two real proxy cores, the
/// receiving one with a certificate from a CA the test makes and the sending one trusting that CA. A server whose
/// certificate is for another name or from an unknown issuer fails the branch with 503, and nothing is sent in the
/// clear instead.
/// </summary>
public sealed class TlsClientTests : IAsyncLifetime
{
    private const string ServerName = "sips.vp.test";
    private const string Password = "test-password";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("vp-tls-client-").FullName;
    private readonly UdpPeer _uac = new();
    private readonly UdpPeer _behind = new();
    private DnsmasqServer _dns = null!;
    private InProcessHop _sender = null!;

    public async Task InitializeAsync()
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=VoipPlatform test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        File.WriteAllText(Path.Combine(_directory, "ca.pem"), ca.ExportCertificatePem());
        WriteServerCertificate("right.pfx", ServerName, ca);
        WriteServerCertificate("wrong-name.pfx", "other.vp.test", ca);
        WriteServerCertificate("untrusted.pfx", ServerName, issuer: null);

        _dns = await DnsmasqServer.StartAsync("--local=/vp.test/", $"--host-record={ServerName},127.0.0.1");
        var resolver = _dns.CreateResolver(TimeSpan.FromSeconds(2));
        _sender = InProcessHop.Start(new LocatingNextHop(resolver), transportOptions: new SipTransportOptions
        {
            ListenAddress = "127.0.0.1", Port = 0,
            TlsClient = new SipTlsClientOptions { TrustedCaPath = Path.Combine(_directory, "ca.pem") },
        });
    }

    public async Task DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _dns.DisposeAsync();
        _uac.Dispose();
        _behind.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A server certificate for <paramref name="name"/>, issued by <paramref name="issuer"/> or self-signed.</summary>
    private void WriteServerCertificate(string file, string name, X509Certificate2? issuer)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        DateTimeOffset from = DateTimeOffset.UtcNow.AddMinutes(-5), until = DateTimeOffset.UtcNow.AddMinutes(50);
        using X509Certificate2 certificate = issuer is null
            ? request.CreateSelfSigned(from, until)
            : request.Create(issuer, from, until, [0x01, .. RandomNumberGenerator.GetBytes(8)]).CopyWithPrivateKey(key);
        File.WriteAllBytes(Path.Combine(_directory, file), certificate.Export(X509ContentType.Pkcs12, Password));
    }

    /// <summary>The receiving hop: TLS on a port of its own with the given certificate, forwarding to <see cref="_behind"/>.</summary>
    private InProcessHop Receiver(string certificateFile, int tlsPort) =>
        InProcessHop.Start(new FixedNextHop(_behind.EndPoint), transportOptions: new SipTransportOptions
        {
            ListenAddress = "127.0.0.1", Port = 0, TlsPort = tlsPort,
            TlsCertificatePath = Path.Combine(_directory, certificateFile), TlsCertificatePassword = Password,
        });

    private string Invite(string requestUri) => $"""
        INVITE {requestUri} SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-{Guid.NewGuid():N};rport
        From: <sip:alice@vp.test>;tag=a1
        To: <{requestUri}>
        Call-ID: {Guid.NewGuid():N}@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:alice@127.0.0.1:{_uac.Port}>
        Max-Forwards: 70
        Content-Length: 0


        """;

    [Fact]
    public async Task A_sips_request_goes_over_tls_to_the_server_proving_the_name_and_its_answer_comes_back()
    {
        int tlsPort = FreeSipPort.Next();
        await using InProcessHop receiver = Receiver("right.pfx", tlsPort);

        _uac.Send(Invite($"sips:bob@{ServerName}:{tlsPort}"), _sender.EndPoint);

        string? forwarded = await _behind.ReceiveUntilAsync("INVITE ", Wait);
        Assert.NotNull(forwarded);
        Assert.Contains($"Via: SIP/2.0/TLS {_sender.EndPoint};branch=", forwarded);
        _behind.Send(SipRequests.Answer(forwarded!, "200 OK"), receiver.EndPoint);
        Assert.StartsWith("SIP/2.0 200 OK", await _uac.ReceiveFinalResponseAsync(Wait));
    }

    [Theory]
    [InlineData("wrong-name.pfx")]
    [InlineData("untrusted.pfx")]
    public async Task A_server_that_cannot_prove_the_name_fails_the_branch_with_503_and_gets_nothing_in_the_clear(string certificateFile)
    {
        int tlsPort = FreeSipPort.Next();
        await using InProcessHop receiver = Receiver(certificateFile, tlsPort);
        using var plaintext = new UdpPeer(port: tlsPort); // where a UDP fallback to the same address would land

        _uac.Send(Invite($"sips:bob@{ServerName}:{tlsPort}"), _sender.EndPoint);

        string? answer = await _uac.ReceiveFinalResponseAsync(Wait);
        Assert.StartsWith("SIP/2.0 503 ", answer);
        Assert.Empty(await _behind.DrainAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Empty(await plaintext.DrainAsync(TimeSpan.FromMilliseconds(100)));
    }
}
