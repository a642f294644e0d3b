using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Transport;

/// <summary>
/// SIP over TLS (RFC 3261 section 26.2) into a real proxy core, with a certificate the test makes. The client is an
/// <see cref="SslStream"/> written here: the Debian SIPp is built without TLS, so <c>-t l1</c> is not available.
/// </summary>
public sealed class TlsTransportTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task A_request_over_tls_is_forwarded_and_its_response_comes_back_on_the_tls_flow()
    {
        using var next = new UdpPeer();
        var options = new SipTransportOptions
        {
            ListenAddress = "127.0.0.1", Port = 0,
            TlsPort = FreeSipPort.Next(), TlsCertificatePath = _certificate.PfxPath, TlsCertificatePassword = TestCertificate.Password,
        };
        await using var hop = InProcessHop.Start(new FixedNextHop(next.EndPoint), transportOptions: options);
        using var client = new TcpClient();
        await client.ConnectAsync(hop.Transport.TlsEndPoint!);
        await using var tls = new SslStream(client.GetStream(), false,
            (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate.Hash); // pinned: self-signed
        await tls.AuthenticateAsClientAsync("proxy.voip.test");
        var local = (IPEndPoint)client.Client.LocalEndPoint!;

        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            $"OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS {local};branch=z9hG4bK-tls-{Guid.NewGuid():N}\r\n" +
            $"From: <sips:alice@127.0.0.1>;tag=t\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: {Guid.NewGuid():N}@127.0.0.1\r\n" +
            "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"));

        string forwarded = (await next.ReceiveUntilAsync("OPTIONS", Wait))!;
        Assert.Contains($"Via: SIP/2.0/TLS {local};", forwarded);
        next.Send(SipRequests.Answer(forwarded, "200 OK"), hop.EndPoint);

        byte[] buffer = new byte[4096];
        int read = await tls.ReadAsync(buffer).AsTask().WaitAsync(Wait);
        string response = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", response);
        Assert.Contains($"Via: SIP/2.0/TLS {local};", response);
    }

    [Fact]
    public void A_tls_port_without_a_certificate_fails_at_start_naming_the_setting()
    {
        var options = new SipTransportOptions { ListenAddress = "127.0.0.1", Port = 0, TlsPort = FreeSipPort.Next(), TlsCertificatePath = "/nonexistent.pfx" };

        var error = Assert.Throws<InvalidOperationException>(() => new SipTransport(options, new EgressPolicy([]), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        Assert.Contains("Sip:TlsCertificatePath", error.Message);
    }
}
