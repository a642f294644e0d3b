using VoipPlatform.Sip.Authentication;

namespace VoipPlatform.Tests.Sip.Authentication;

/// <summary>The published examples of RFC 2617 section 3.5 and RFC 7616 section 3.9.1.</summary>
public class DigestHashTests
{
    [Fact]
    public void Rfc2617_md5_example()
    {
        var credentials = new DigestCredentials("Mufasa", "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "/dir/index.html",
            Response: "", Algorithm: null, Qop: "auth", NonceCount: "00000001", ClientNonce: "0a4f113b", Opaque: null);
        string ha1 = DigestHash.Ha1("Mufasa", "testrealm@host.com", "Circle Of Life", DigestAlgorithm.Md5);
        Assert.Equal("6629fae49393a05397450978507c4ef1", DigestHash.Response(ha1, "GET", credentials, DigestAlgorithm.Md5));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_examples(DigestAlgorithm algorithm, string expected)
    {
        var credentials = new DigestCredentials("Mufasa", "http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "/dir/index.html",
            Response: "", Algorithm: DigestHash.Name(algorithm), Qop: "auth", NonceCount: "00000001",
            ClientNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", Opaque: null);
        string ha1 = DigestHash.Ha1("Mufasa", "http-auth@example.org", "Circle of Life", algorithm);
        Assert.Equal(expected, DigestHash.Response(ha1, "GET", credentials, algorithm));
    }
}
