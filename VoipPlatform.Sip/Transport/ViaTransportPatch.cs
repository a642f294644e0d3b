namespace VoipPlatform.Sip.Transport;

/// <summary>
/// Rewrites the transport of the first Via of a request this hop wrote (<c>SIP/2.0/TCP</c> → <c>SIP/2.0/UDP</c>) in
/// place: the same length, so nothing moves. Used when a message prepared for TCP has to go over UDP.
/// </summary>
internal static class ViaTransportPatch
{
    public static void ToUdp(Span<byte> message)
    {
        int at = message.IndexOf("SIP/2.0/TCP "u8);
        int lineEnd = message.IndexOf("\r\n"u8);
        int headersEnd = message.IndexOf("\r\n\r\n"u8);
        // Only in the header block, and only in the topmost Via (the one on the line after the request line).
        if (at < 0 || at < lineEnd || (headersEnd >= 0 && at > headersEnd)) return;
        int nextLine = message[(lineEnd + 2)..].IndexOf("\r\n"u8) + lineEnd + 2;
        if (at > nextLine) return;
        "UDP"u8.CopyTo(message[(at + 8)..]);
    }
}
