using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 made by the test, written to a PKCS#12 file as
/// <c>Sip:TlsCertificatePath</c> expects; clients pin it by <see cref="Hash"/>. The file is deleted on dispose.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    public const string Password = "test-password";

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=proxy.voip.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        File.WriteAllBytes(PfxPath, Certificate.Export(X509ContentType.Pkcs12, Password));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The PKCS#12 file (certificate and key), protected by <see cref="Password"/>.</summary>
    public string PfxPath { get; } = Path.Combine(Path.GetTempPath(), $"vp-sip-{Guid.NewGuid():N}.pfx");

    /// <summary>What a client pins: the certificate's hash.</summary>
    public string Hash => Certificate.GetCertHashString();

    public void Dispose()
    {
        File.Delete(PfxPath);
        Certificate.Dispose();
    }
}
