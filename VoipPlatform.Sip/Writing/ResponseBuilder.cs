using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Writing;

/// <summary>Builds responses to a request (RFC 3261 section 8.2.6): Via, From, To, Call-ID and CSeq copied.</summary>
public static class ResponseBuilder
{
    /// <summary>
    /// Builds a response. A To tag is added to every response but 100 when the request had none; it is derived
    /// from the request's top Via branch so that the same request always gets the same tag.
    /// </summary>
    /// <param name="request">The request answered.</param>
    /// <param name="status">The status code.</param>
    /// <param name="reason">The reason phrase; the standard one when empty.</param>
    /// <param name="extraHeaderName">A header to add (e.g. Unsupported for 420), or empty.</param>
    /// <param name="extraHeaderValue">That header's value.</param>
    public static OutgoingMessage Build(SipMessage request, int status, ReadOnlySpan<byte> reason = default,
        ReadOnlySpan<byte> extraHeaderName = default, ReadOnlySpan<byte> extraHeaderValue = default) =>
        Build(request, status, reason, extraHeaderName, extraHeaderValue, default);

    /// <summary>Builds a response carrying <paramref name="headers"/> (a registrar's Contact list, a digest challenge).</summary>
    /// <param name="request">The request answered.</param>
    /// <param name="status">The status code.</param>
    /// <param name="reason">The reason phrase; the standard one when empty.</param>
    /// <param name="headers">Headers to add after the copied ones.</param>
    public static OutgoingMessage Build(SipMessage request, int status, ReadOnlySpan<byte> reason, IReadOnlyList<SipHeader> headers) =>
        Build(request, status, reason, default, default, SipHeader.ToLines(headers));

    private static OutgoingMessage Build(SipMessage request, int status, ReadOnlySpan<byte> reason,
        ReadOnlySpan<byte> extraHeaderName, ReadOnlySpan<byte> extraHeaderValue, ReadOnlySpan<byte> headerLines)
    {
        var writer = new SipWriter(request.Length / 2 + 128 + headerLines.Length);
        writer.Write("SIP/2.0 "u8);
        writer.Write(status);
        writer.Write((byte)' ');
        writer.Write(reason.IsEmpty ? SipStatus.ReasonPhrase(status) : reason);
        writer.WriteCrlf();

        foreach (ref readonly HeaderField header in request.Headers)
        {
            switch (header.Kind)
            {
                case HeaderKind.Via:
                case HeaderKind.From:
                case HeaderKind.CallId:
                case HeaderKind.CSeq:
                    writer.WriteHeader(request[header.Name], request[header.Value]);
                    break;
                case HeaderKind.To:
                    writer.Write(request[header.Name]);
                    writer.Write(": "u8);
                    writer.Write(request[header.Value]);
                    if (status > SipStatus.Trying && request.ToTag.IsEmpty)
                    {
                        writer.Write(";tag="u8);
                        WriteLocalTag(ref writer, request);
                    }
                    writer.WriteCrlf();
                    break;
            }
        }
        if (!extraHeaderName.IsEmpty) writer.WriteHeader(extraHeaderName, extraHeaderValue);
        writer.Write(headerLines);
        writer.WriteHeader(HeaderNames.ContentLength, "0"u8);
        writer.WriteCrlf();
        return writer.Complete();
    }

    private static void WriteLocalTag(ref SipWriter writer, SipMessage request)
    {
        Span<byte> hex = stackalloc byte[16];
        Fnv1a.WriteHex(Fnv1a.Hash(request.TopVia.Branch, Fnv1a.Hash(request.CallId)), hex);
        writer.Write("vp"u8);
        writer.Write(hex);
    }
}
