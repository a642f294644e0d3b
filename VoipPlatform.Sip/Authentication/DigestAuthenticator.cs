using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VoipPlatform.Sip.Authentication;

/// <summary>
/// Server side of SIP digest authentication (RFC 3261 section 22, RFC 2617 with qop=auth, RFC 8760 SHA-256):
/// builds challenges and verifies credentials against a stored HA1, never a password.
/// </summary>
public sealed class DigestAuthenticator
{
    private readonly DigestOptions _options;
    private readonly NonceIssuer _nonces;
    private readonly NonceCountTracker _counts;

    /// <summary>Creates the authenticator; fails when <see cref="DigestOptions.NonceSecret"/> is missing or short.</summary>
    public DigestAuthenticator(IOptions<DigestOptions> options, TimeProvider time)
    {
        _options = options.Value;
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(_options.NonceSecret);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Sip:Digest:NonceSecret must be base64 (at least 32 bytes): e.g. `openssl rand -base64 32`.");
        }
        if (secret.Length < 32)
        {
            throw new InvalidOperationException("Sip:Digest:NonceSecret must hold at least 32 bytes of base64: e.g. `openssl rand -base64 32`.");
        }
        _nonces = new NonceIssuer(secret, _options.NonceLifetime, time);
        _counts = new NonceCountTracker(_options.MaxTrackedNonces);
    }

    /// <summary>
    /// The values of the <c>WWW-Authenticate</c> / <c>Proxy-Authenticate</c> headers to send: one per configured
    /// algorithm, strongest first, all with a fresh nonce and <c>qop="auth"</c>.
    /// </summary>
    public IReadOnlyList<string> Challenges(string realm, bool stale = false)
    {
        string nonce = _nonces.Issue(realm);
        return _options.EffectiveAlgorithms
            .Select(a => $"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={DigestHash.Name(a)}, qop=\"auth\"{(stale ? ", stale=true" : "")}")
            .ToArray();
    }

    /// <summary>
    /// Verifies credentials for a request. <paramref name="ha1"/> looks up the stored HA1 of a user for an algorithm
    /// (null when the user is unknown).
    /// </summary>
    public DigestOutcome Verify(DigestCredentials credentials, string method, string realm, Func<string, DigestAlgorithm, string?> ha1)
    {
        if (!string.Equals(credentials.Realm, realm, StringComparison.Ordinal)) return DigestOutcome.Rejected;
        if (!DigestHash.TryParse(credentials.Algorithm, out DigestAlgorithm algorithm) || !_options.EffectiveAlgorithms.Contains(algorithm)) return DigestOutcome.Rejected;
        if (credentials.Qop is not null && !credentials.Qop.Equals("auth", StringComparison.OrdinalIgnoreCase)) return DigestOutcome.Rejected;

        bool? fresh = _nonces.IsFresh(credentials.Nonce, realm);
        if (fresh is null) return DigestOutcome.Rejected;
        if (ha1(credentials.Username, algorithm) is not { } storedHa1) return DigestOutcome.Rejected;

        if (!ResponseMatches(storedHa1, method, credentials, algorithm)) return DigestOutcome.WrongPassword;
        if (fresh == false) return DigestOutcome.Stale;

        // Without qop there is no nonce-count: such a nonce is good for one request only.
        long count = 1;
        if (credentials.Qop is not null && !long.TryParse(credentials.NonceCount, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out count)) return DigestOutcome.Rejected;
        return _counts.TryAdvance(credentials.Nonce, count) ? DigestOutcome.Authenticated : DigestOutcome.Replayed;
    }

    /// <summary>Compares the credentials' response with the expected one in constant time, hex case ignored.</summary>
    private static bool ResponseMatches(string ha1, string method, DigestCredentials credentials, DigestAlgorithm algorithm)
    {
        if (credentials.Response.Length > DigestHash.MaxHexLength) return false; // no digest is that long
        Span<char> expected = stackalloc char[DigestHash.MaxHexLength];
        int length = DigestHash.Response(ha1, method, credentials, algorithm, expected);
        Span<char> given = stackalloc char[credentials.Response.Length];
        credentials.Response.AsSpan().ToLowerInvariant(given);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected[..length]), MemoryMarshal.AsBytes(given));
    }
}
