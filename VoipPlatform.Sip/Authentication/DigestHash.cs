using System.Buffers;
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
    public static string Ha1(string username, string realm, string password, DigestAlgorithm algorithm)
    {
        Span<char> ha1 = stackalloc char[MaxHexLength];
        return new string(ha1[..Hex(algorithm, [username, realm, password], [], ha1)]);
    }

    /// <summary>The expected <c>response</c> for credentials, from HA1 (RFC 2617 section 3.2.2.1).</summary>
    public static string Response(string ha1, string method, DigestCredentials credentials, DigestAlgorithm algorithm)
    {
        Span<char> response = stackalloc char[MaxHexLength];
        return new string(response[..Response(ha1, method, credentials, algorithm, response)]);
    }

    // One hasher per thread and algorithm, reset after each use: the one-shot HashData looks the algorithm up in
    // OpenSSL on every call.
    [ThreadStatic] private static IncrementalHash? t_md5;
    [ThreadStatic] private static IncrementalHash? t_sha256;

    /// <summary>The longest hex digest (SHA-256).</summary>
    internal const int MaxHexLength = 64;

    /// <summary>
    /// Writes the expected <c>response</c> into <paramref name="destination"/> (at least <see cref="MaxHexLength"/>
    /// long) and returns its length: the verification of every authenticated request, without a string.
    /// </summary>
    internal static int Response(string ha1, string method, DigestCredentials credentials, DigestAlgorithm algorithm, Span<char> destination)
    {
        Span<char> ha2 = stackalloc char[MaxHexLength];
        int ha2Length = Hex(algorithm, [method, credentials.Uri], [], ha2);
        return credentials.Qop is null
            ? Hex(algorithm, [ha1, credentials.Nonce], ha2[..ha2Length], destination)
            : Hex(algorithm, [ha1, credentials.Nonce, credentials.NonceCount!, credentials.ClientNonce!, credentials.Qop], ha2[..ha2Length], destination);
    }

    /// <summary>
    /// The lowercase hex digest of <paramref name="parts"/>, then <paramref name="last"/> when not empty, joined by
    /// colons; written into <paramref name="destination"/>, returning its length.
    /// </summary>
    private static int Hex(DigestAlgorithm algorithm, ReadOnlySpan<string> parts, ReadOnlySpan<char> last, Span<char> destination)
    {
        int length = Encoding.UTF8.GetMaxByteCount(last.Length) + parts.Length;
        foreach (string part in parts) length += Encoding.UTF8.GetMaxByteCount(part.Length);
        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> input = rented ?? stackalloc byte[1024];
        int written = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0) input[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(parts[i], input[written..]);
        }
        if (!last.IsEmpty)
        {
            input[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(last, input[written..]);
        }
        Span<byte> hash = stackalloc byte[32];
        IncrementalHash hasher = algorithm == DigestAlgorithm.Sha256
            ? t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)
            : t_md5 ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        hasher.AppendData(input[..written]);
        int hashLength = hasher.GetHashAndReset(hash);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        Convert.TryToHexStringLower(hash[..hashLength], destination, out int hexLength);
        return hexLength;
    }
}
