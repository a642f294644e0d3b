using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Authentication;

namespace VoipPlatform.Tests.Sip.Authentication;

public class DigestAuthenticatorTests
{
    private const string Realm = "example.test";
    private const string Password = "s3cret";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly DigestAuthenticator _authenticator;

    public DigestAuthenticatorTests() => _authenticator = Create(RandomSecret());

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private DigestAuthenticator Create(string secret) =>
        new(Options.Create(new DigestOptions { NonceSecret = secret, NonceLifetime = TimeSpan.FromMinutes(5) }), _time);

    private static string? StoredHa1(string user, DigestAlgorithm algorithm) =>
        user == "1001" ? DigestHash.Ha1("1001", Realm, Password, algorithm) : null;

    private static string NonceOf(string challenge) => challenge.Split("nonce=\"")[1].Split('"')[0];

    /// <summary>Answers a challenge as a phone would.</summary>
    private static DigestCredentials Answer(string challenge, DigestAlgorithm algorithm, string password = Password, int nc = 1, string user = "1001")
    {
        var unsigned = new DigestCredentials(user, Realm, NonceOf(challenge), "sip:example.test", "", DigestHash.Name(algorithm), "auth", nc.ToString("x8"), "c0ffee", null);
        string ha1 = DigestHash.Ha1(user, Realm, password, algorithm);
        return unsigned with { Response = DigestHash.Response(ha1, "REGISTER", unsigned, algorithm) };
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public void A_correct_answer_authenticates_and_the_same_nonce_count_cannot_be_replayed(DigestAlgorithm algorithm)
    {
        IReadOnlyList<string> challenges = _authenticator.Challenges(Realm);
        Assert.Equal(["SHA-256", "MD5"], challenges.Select(c => c.Split("algorithm=")[1].Split(',')[0]));
        string challenge = challenges.Single(c => c.Contains($"algorithm={DigestHash.Name(algorithm)},"));
        Assert.Contains("qop=\"auth\"", challenge);

        DigestCredentials first = Answer(challenge, algorithm);
        Assert.Equal(DigestOutcome.Authenticated, _authenticator.Verify(first, "REGISTER", Realm, StoredHa1));
        Assert.Equal(DigestOutcome.Replayed, _authenticator.Verify(first, "REGISTER", Realm, StoredHa1));
        Assert.Equal(DigestOutcome.Authenticated, _authenticator.Verify(Answer(challenge, algorithm, nc: 2), "REGISTER", Realm, StoredHa1));
    }

    [Fact]
    public void A_wrong_password_is_told_apart_from_an_unknown_user()
    {
        string challenge = _authenticator.Challenges(Realm)[0];
        Assert.Equal(DigestOutcome.WrongPassword, _authenticator.Verify(Answer(challenge, DigestAlgorithm.Sha256, password: "guess"), "REGISTER", Realm, StoredHa1));
        Assert.Equal(DigestOutcome.Rejected, _authenticator.Verify(Answer(challenge, DigestAlgorithm.Sha256, user: "9999"), "REGISTER", Realm, StoredHa1));
    }

    [Fact]
    public void An_expired_nonce_with_the_right_password_is_stale()
    {
        string challenge = _authenticator.Challenges(Realm)[0];
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DigestOutcome.Stale, _authenticator.Verify(Answer(challenge, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));
        Assert.Contains("stale=true", _authenticator.Challenges(Realm, stale: true)[0]);
    }

    [Fact]
    public void Nonces_from_another_secret_or_realm_are_not_ours()
    {
        string foreign = Create(RandomSecret()).Challenges(Realm)[0];
        Assert.Equal(DigestOutcome.Rejected, _authenticator.Verify(Answer(foreign, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));

        string otherRealm = _authenticator.Challenges("other.test")[0];
        Assert.Equal(DigestOutcome.Rejected, _authenticator.Verify(Answer(otherRealm, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));
    }

    [Fact]
    public void A_replica_with_the_same_secret_verifies_a_nonce_it_did_not_issue()
    {
        string secret = RandomSecret();
        string challenge = Create(secret).Challenges(Realm)[0];
        Assert.Equal(DigestOutcome.Authenticated, Create(secret).Verify(Answer(challenge, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));
    }

    [Fact]
    public void Two_callers_challenged_at_the_same_instant_get_different_nonces_and_both_authenticate()
    {
        // The clock does not move: a timestamp-only nonce would be shared, and the second caller's nc=1 would look
        // like a replay of the first's.
        string first = _authenticator.Challenges(Realm)[0], second = _authenticator.Challenges(Realm)[0];

        Assert.NotEqual(NonceOf(first), NonceOf(second));
        Assert.Equal(DigestOutcome.Authenticated, _authenticator.Verify(Answer(first, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));
        Assert.Equal(DigestOutcome.Authenticated, _authenticator.Verify(Answer(second, DigestAlgorithm.Sha256), "REGISTER", Realm, StoredHa1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void A_missing_or_short_secret_fails_at_start_naming_the_setting(string secret)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(secret));
        Assert.Contains("Sip:Digest:NonceSecret", error.Message);
    }
}
