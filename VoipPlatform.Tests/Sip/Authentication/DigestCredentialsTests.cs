using VoipPlatform.Sip.Authentication;

namespace VoipPlatform.Tests.Sip.Authentication;

public class DigestCredentialsTests
{
    [Fact]
    public void Parses_a_sip_authorization_header_with_quoted_and_token_values()
    {
        var credentials = DigestCredentials.Parse(
            "Digest username=\"1001\",realm=\"example.test\", nonce=\"abc\", uri=\"sip:example.test\", response=\"0123\", algorithm=MD5, cnonce=\"x\\\"y\", qop=auth, nc=0000000a");
        Assert.NotNull(credentials);
        Assert.Equal("1001", credentials.Username);
        Assert.Equal("example.test", credentials.Realm);
        Assert.Equal("sip:example.test", credentials.Uri);
        Assert.Equal("MD5", credentials.Algorithm);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("0000000a", credentials.NonceCount);
        Assert.Equal("x\"y", credentials.ClientNonce);
    }

    [Fact]
    public void Ignores_parameters_it_does_not_use_even_repeated_or_holding_commas()
    {
        var credentials = DigestCredentials.Parse(
            "Digest auth-param=\"a, b\", username=\"1001\", realm=\"example.test\", auth-param=x, nonce=\"abc\", uri=\"sip:example.test\", response=\"0123\", opaque=\"o\"");
        Assert.NotNull(credentials);
        Assert.Equal("1001", credentials.Username);
        Assert.Equal("abc", credentials.Nonce);
        Assert.Equal("o", credentials.Opaque);
        Assert.Null(credentials.Qop);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\"")]                         // no username
    [InlineData("Digest username=\"u, realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\"")]           // unterminated quote
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\", qop=auth")] // qop without nc/cnonce
    [InlineData("Digest username=\"u\", username=\"v\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\"")] // duplicate
    [InlineData("Digestusername=\"u\"")]
    public void Refuses_what_it_cannot_read_unambiguously(string header) =>
        Assert.Null(DigestCredentials.Parse(header));
}
