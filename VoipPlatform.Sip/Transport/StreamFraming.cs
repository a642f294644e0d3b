using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// Where one SIP message ends in a byte stream (RFC 3261 section 18.3): the header block ends at the first empty
/// line, the body is Content-Length bytes (0 when absent). Blank lines between messages are CRLF keep-alives
/// (RFC 5626 section 3.5.1).
/// </summary>
public static class StreamFraming
{
    /// <summary>The largest message a stream may carry; a longer one closes the connection.</summary>
    public const int MaxMessageBytes = 65_535;

    /// <summary>What the start of a stream buffer holds.</summary>
    public enum Frame
    {
        /// <summary>Not enough bytes yet.</summary>
        Incomplete,
        /// <summary>CRLF keep-alive bytes.</summary>
        KeepAlive,
        /// <summary>One whole message.</summary>
        Message,
        /// <summary>Bytes that cannot be framed: the connection must be closed.</summary>
        Malformed,
    }

    /// <summary>
    /// Looks at the start of <paramref name="buffer"/>: a keep-alive (<paramref name="length"/> = its bytes, and
    /// <paramref name="isPing"/> when it was a double CRLF, which asks for a pong), a complete message
    /// (<paramref name="length"/> = its bytes), not enough bytes yet, or garbage.
    /// </summary>
    public static Frame Next(ReadOnlySpan<byte> buffer, out int length, out bool isPing)
    {
        length = 0;
        isPing = false;
        int blank = 0;
        while (blank + 1 < buffer.Length && buffer[blank] == '\r' && buffer[blank + 1] == '\n') blank += 2;
        if (blank > 0)
        {
            length = blank;
            isPing = blank >= 4;
            return Frame.KeepAlive;
        }
        int end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0) return buffer.Length > MaxMessageBytes ? Frame.Malformed : Frame.Incomplete;
        int headerBytes = end + 4;
        if (!TryContentLength(buffer[..end], out int body)) return Frame.Malformed;
        length = headerBytes + body;
        if (length > MaxMessageBytes) return Frame.Malformed;
        return buffer.Length >= length ? Frame.Message : Frame.Incomplete;
    }

    private static bool TryContentLength(ReadOnlySpan<byte> headers, out int value)
    {
        value = 0;
        while (!headers.IsEmpty)
        {
            int lineEnd = headers.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = lineEnd < 0 ? headers : headers[..lineEnd];
            headers = lineEnd < 0 ? default : headers[(lineEnd + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            if (HeaderNames.Classify(SipSyntax.Trim(line[..colon])) != HeaderKind.ContentLength) continue;
            if (!SipSyntax.TryParseNonNegative(SipSyntax.Trim(line[(colon + 1)..]), out long parsed) || parsed > MaxMessageBytes) return false;
            value = (int)parsed;
            return true;
        }
        return true; // absent: no body (RFC 3261 requires it on streams; a missing one is read as 0)
    }
}
