using System.Security.Cryptography;
using System.Text;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// The server side of the WebSocket opening handshake (RFC 6455 section 4.2) for SIP (RFC 7118 section 4): an HTTP/1.1
/// GET with <c>Upgrade: websocket</c>, version 13 and a key, that must offer the <c>sip</c> subprotocol. Written by hand
/// because the SIP core is not a Kestrel application; the frames afterwards are <see cref="System.Net.WebSockets.WebSocket"/>'s.
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>The subprotocol RFC 7118 registers, offered by the client and echoed in the answer.</summary>
    public const string SubProtocol = "sip";

    /// <summary>The longest upgrade request read; a browser's is well under 1 KiB.</summary>
    public const int MaxRequestBytes = 8192;

    private static readonly byte[] KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    /// <summary>What an upgrade request gets.</summary>
    public enum Verdict
    {
        /// <summary>101 Switching Protocols with the <c>sip</c> subprotocol.</summary>
        Accept,
        /// <summary>400: not a WebSocket upgrade, a bad key, or no <c>sip</c> among the offered subprotocols.</summary>
        BadRequest,
        /// <summary>426 with <c>Sec-WebSocket-Version: 13</c>: a WebSocket version this side does not speak.</summary>
        UpgradeRequired,
    }

    /// <summary>
    /// Reads the upgrade request from <paramref name="stream"/> and answers it. True when the stream now carries
    /// WebSocket frames; false when the request was refused (the answer was sent) or the peer went away.
    /// </summary>
    public static async Task<bool> AcceptAsync(Stream stream, CancellationToken cancellation)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int filled = 0, end;
        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length)
            {
                await WriteAsync(stream, Refusal(Verdict.BadRequest), cancellation);
                return false;
            }
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellation);
            if (read == 0) return false;
            filled += read;
        }
        // A client must wait for the 101 before sending frames (RFC 6455 section 4.1): bytes after the request are not
        // ours to interpret.
        Verdict verdict = end + 4 == filled ? Check(buffer.AsSpan(0, end), out string? accept) : Verdict.BadRequest;
        if (verdict != Verdict.Accept)
        {
            await WriteAsync(stream, Refusal(verdict), cancellation);
            return false;
        }
        Check(buffer.AsSpan(0, end), out accept);
        await WriteAsync(stream, Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {SubProtocol}\r\n\r\n"), cancellation);
        return true;
    }

    /// <summary>
    /// Judges an upgrade request's head (request line and headers, without the blank line). On
    /// <see cref="Verdict.Accept"/>, <paramref name="accept"/> is the <c>Sec-WebSocket-Accept</c> value.
    /// </summary>
    public static Verdict Check(ReadOnlySpan<byte> head, out string? accept)
    {
        accept = null;
        int lineEnd = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!requestLine.StartsWith("GET "u8) || !requestLine.EndsWith(" HTTP/1.1"u8)) return Verdict.BadRequest;
        bool upgrade = false, connection = false, sip = false;
        ReadOnlySpan<byte> version = default, key = default;
        ReadOnlySpan<byte> headers = lineEnd < 0 ? default : head[(lineEnd + 2)..];
        while (!headers.IsEmpty)
        {
            int next = headers.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = next < 0 ? headers : headers[..next];
            headers = next < 0 ? default : headers[(next + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) return Verdict.BadRequest;
            ReadOnlySpan<byte> name = SipSyntax.Trim(line[..colon]);
            ReadOnlySpan<byte> value = SipSyntax.Trim(line[(colon + 1)..]);
            if (Ascii.EqualsIgnoreCase(name, "Upgrade"u8)) upgrade |= HasToken(value, "websocket"u8);
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8)) connection |= HasToken(value, "Upgrade"u8);
            else if (Ascii.EqualsIgnoreCase(name, "Sec-WebSocket-Version"u8)) version = value;
            else if (Ascii.EqualsIgnoreCase(name, "Sec-WebSocket-Key"u8)) key = value;
            else if (Ascii.EqualsIgnoreCase(name, "Sec-WebSocket-Protocol"u8)) sip |= HasToken(value, "sip"u8);
        }
        if (!upgrade || !connection) return Verdict.BadRequest;
        if (!version.SequenceEqual("13"u8)) return Verdict.UpgradeRequired;
        Span<byte> nonce = stackalloc byte[18];
        if (key.Length != 24 || !Convert.TryFromBase64Chars(Encoding.ASCII.GetString(key), nonce, out int nonceLength) || nonceLength != 16)
        {
            return Verdict.BadRequest;
        }
        // RFC 7118 section 4: SIP needs the subprotocol; without it the client would speak something else.
        if (!sip) return Verdict.BadRequest;
        Span<byte> material = stackalloc byte[key.Length + KeyGuid.Length];
        key.CopyTo(material);
        KeyGuid.CopyTo(material[key.Length..]);
        accept = Convert.ToBase64String(SHA1.HashData(material));
        return Verdict.Accept;
    }

    private static bool HasToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (Range part in list.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(SipSyntax.Trim(list[part]), token)) return true;
        }
        return false;
    }

    private static byte[] Refusal(Verdict verdict) => verdict == Verdict.UpgradeRequired
        ? "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray()
        : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken cancellation)
    {
        await stream.WriteAsync(bytes, cancellation);
        await stream.FlushAsync(cancellation);
    }
}
