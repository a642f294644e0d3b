using System.Security.Cryptography;
using System.Text;

namespace VoipPlatform.Sip.Authentication;

/// <summary>The digest computations of RFC 2617 / RFC 7616, as lowercase hex.</summary>
public static class DigestHash
{
    /// <summary>The algorithm's name as written in challenges and credentials.</summary>
    public static string Name(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? "SHA-256" : "MD5";

    /// <summary>Parses an <c>algorithm</c> parameter; absent means MD5 (RFC 2617 section 3.2.1).</summary>
    public static bool TryParse(string? name, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (string.IsNullOrEmpty(name) || name.Equals("MD5", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }
        return false;
    }

    /// <summary>HA1 = H(username:realm:password): what the platform stores instead of the password.</summary>
    public static string Ha1(string username, string realm, string password, DigestAlgorithm algorithm) =>
        Hex(algorithm, $"{username}:{realm}:{password}");

    /// <summary>The expected <c>response</c> for credentials, from HA1 (RFC 2617 section 3.2.2.1).</summary>
    public static string Response(string ha1, string method, DigestCredentials credentials, DigestAlgorithm algorithm)
    {
        string ha2 = Hex(algorithm, $"{method}:{credentials.Uri}");
        return credentials.Qop is null
            ? Hex(algorithm, $"{ha1}:{credentials.Nonce}:{ha2}")
            : Hex(algorithm, $"{ha1}:{credentials.Nonce}:{credentials.NonceCount}:{credentials.ClientNonce}:{credentials.Qop}:{ha2}");
    }

    internal static string Hex(DigestAlgorithm algorithm, string text)
    {
        byte[] input = Encoding.UTF8.GetBytes(text);
        byte[] hash = algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(input) : MD5.HashData(input);
        return Convert.ToHexStringLower(hash);
    }
}
