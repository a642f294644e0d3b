using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// RFC 5626 section 5.2 flow tokens: the user part of this hop's Record-Route or Path entry that names the connection
/// a WebSocket client opened (protocol, peer address and port, and the connection's id, so a later connection from the
/// same address is another flow), followed by an HMAC-SHA256 over those bytes. Without the key a token cannot be
/// made or altered, so a crafted Route cannot pick another user's connection.
/// </summary>
internal sealed class FlowTokens
{
    /// <summary>The longest token written: base64url of 1 + 8 + 2 + 16 + <see cref="MacBytes"/> bytes.</summary>
    public const int MaxLength = 56;

    /// <summary>HMAC bytes kept: 80 bits, far beyond what guessing over a network can reach.</summary>
    private const int MacBytes = 10;
    private const int MaxRawBytes = 1 + 8 + 2 + 16 + MacBytes;
    private readonly byte[] _key;

    /// <param name="key">The HMAC key; null or empty for a random one per process (a flow lives in one process anyway).</param>
    public FlowTokens(byte[]? key) => _key = key is { Length: > 0 } ? key : RandomNumberGenerator.GetBytes(32);

    /// <summary>What a token says.</summary>
    public enum Outcome
    {
        /// <summary>Made by this process (or one sharing its key): the flow is in the out values.</summary>
        Valid,
        /// <summary>Malformed or with a wrong MAC: altered, made up, or from a process with another key.</summary>
        Invalid,
    }

    /// <summary>Writes the token of a flow into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public int Write(SipProtocol protocol, IPEndPoint peer, long flowId, Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[MaxRawBytes];
        raw[0] = (byte)protocol;
        BinaryPrimitives.WriteInt64BigEndian(raw[1..], flowId);
        BinaryPrimitives.WriteUInt16BigEndian(raw[9..], (ushort)peer.Port);
        peer.Address.TryWriteBytes(raw[11..], out int addressLength);
        int signed = 11 + addressLength;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, raw[..signed], mac);
        mac[..MacBytes].CopyTo(raw[signed..]);
        return Base64Url.EncodeToUtf8(raw[..(signed + MacBytes)], destination);
    }

    /// <summary>Reads a token back: the flow it names when its MAC is right.</summary>
    public Outcome Read(ReadOnlySpan<byte> token, out SipProtocol protocol, out IPEndPoint? peer, out long flowId)
    {
        protocol = SipProtocol.Udp;
        peer = null;
        flowId = 0;
        Span<byte> raw = stackalloc byte[MaxRawBytes];
        if (token.Length > MaxLength || !Base64Url.TryDecodeFromUtf8(token, raw, out int length)) return Outcome.Invalid;
        int addressLength = length - 11 - MacBytes;
        if (addressLength is not (4 or 16)) return Outcome.Invalid;
        int signed = 11 + addressLength;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, raw[..signed], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacBytes], raw.Slice(signed, MacBytes))) return Outcome.Invalid;
        protocol = (SipProtocol)raw[0];
        flowId = BinaryPrimitives.ReadInt64BigEndian(raw[1..]);
        peer = new IPEndPoint(new IPAddress(raw.Slice(11, addressLength)), BinaryPrimitives.ReadUInt16BigEndian(raw[9..]));
        return Outcome.Valid;
    }
}
