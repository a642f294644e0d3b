using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace VoipPlatform.Sip.Authentication;

/// <summary>
/// Stateless nonces: the issue time, random bytes, and an HMAC over both and the realm, so any replica sharing the
/// secret can check a nonce without having stored it, and an expired one is recognised as ours (stale) rather than
/// forged. The random part makes every challenge unique: two callers challenged in the same millisecond must not
/// share a nonce, or the first one's nonce-count would make the second's look like a replay.
/// </summary>
internal sealed class NonceIssuer
{
    private const int TimestampBytes = 8;
    private const int RandomBytes = 8;
    private const int SignedBytes = TimestampBytes + RandomBytes;
    private const int MacBytes = 16;
    // One keyed HMAC per thread, reset after each use: the one-shot HMACSHA256.HashData sets the key up and looks
    // the algorithm up in OpenSSL on every call, which made nonce checks 8 % of a router's time under registrations.
    private readonly ThreadLocal<IncrementalHash> _macs;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public NonceIssuer(byte[] secret, TimeSpan lifetime, TimeProvider time)
    {
        if (secret.Length < 32) throw new ArgumentException("The nonce secret must be at least 32 bytes.", nameof(secret));
        _macs = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret));
        _lifetime = lifetime;
        _time = time;
    }

    public string Issue(string realm)
    {
        Span<byte> nonce = stackalloc byte[SignedBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[TimestampBytes..SignedBytes]);
        Mac(nonce[..SignedBytes], realm, nonce[SignedBytes..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>Null when the nonce is not one of ours for this realm; otherwise whether it is still fresh.</summary>
    public bool? IsFresh(string nonce, string realm)
    {
        Span<byte> bytes = stackalloc byte[SignedBytes + MacBytes];
        if (nonce.Length > 64 || !Base64Url.TryDecodeFromChars(nonce, bytes, out int written) || written != bytes.Length) return null;
        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(bytes[..SignedBytes], realm, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[SignedBytes..])) return null;
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        TimeSpan age = _time.GetUtcNow() - issued;
        return age >= TimeSpan.Zero && age <= _lifetime;
    }

    private void Mac(ReadOnlySpan<byte> signed, string realm, Span<byte> destination)
    {
        int maxLength = signed.Length + Encoding.UTF8.GetMaxByteCount(realm.Length);
        Span<byte> input = maxLength <= 512 ? stackalloc byte[maxLength] : new byte[maxLength]; // realms are domain names: short
        signed.CopyTo(input);
        input = input[..(signed.Length + Encoding.UTF8.GetBytes(realm, input[signed.Length..]))];
        Span<byte> full = stackalloc byte[32];
        IncrementalHash mac = _macs.Value!;
        mac.AppendData(input);
        mac.GetHashAndReset(full);
        full[..MacBytes].CopyTo(destination);
    }
}
