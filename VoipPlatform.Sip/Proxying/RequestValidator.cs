using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// The checks a proxy makes before it takes a request on (RFC 3261 section 16.3), in the order that gives the most
/// useful answer: version, then syntax, then mandatory headers, then the Request-URI. The answer is a status and
/// reason, or <see cref="Valid"/>.
/// </summary>
internal static class RequestValidator
{
    public static readonly (int Status, string? Reason) Valid = (0, null);

    /// <summary>Validates a request whose top Via is usable (without one there is nobody to answer).</summary>
    public static (int Status, string? Reason) Validate(SipMessage request)
    {
        if (!request.IsSupportedVersion) return (SipStatus.VersionNotSupported, null);
        if (request.Defect is { } defect) return (SipStatus.BadRequest, defect);
        if (request.CallId.IsEmpty || !request.Has(HeaderKind.CSeq)) return (SipStatus.BadRequest, "Missing Call-ID or CSeq");
        if (!request.Has(HeaderKind.From) || !request.Has(HeaderKind.To)) return (SipStatus.BadRequest, "Missing From or To");
        if (!NameAddress.Parse(request.FirstValue(HeaderKind.From)).IsValid || !NameAddress.Parse(request.FirstValue(HeaderKind.To)).IsValid)
        {
            return (SipStatus.BadRequest, "Malformed From or To");
        }
        if (!request[request.CSeqMethodToken].SequenceEqual(request[request.MethodToken]))
        {
            return (SipStatus.BadRequest, "CSeq method does not match the request");
        }
        if (!AllViasWellFormed(request)) return (SipStatus.BadRequest, "Malformed Via");

        ReadOnlySpan<byte> uri = request[request.RequestUri];
        SipUri parsed = SipUri.Parse(uri);
        if (!parsed.IsValid)
        {
            // 416 only for a well-formed URI of another scheme (RFC 3261 section 8.2.2.1); anything else is 400.
            return HasSchemeOtherThanSip(uri) ? (SipStatus.UnsupportedUriScheme, null) : (SipStatus.BadRequest, "Malformed Request-URI");
        }
        if (parsed.HasHeaders)
        {
            // Escaped headers belong in a URI that builds a request, never in a Request-URI (RFC 4475 section 3.1.2.11).
            return (SipStatus.BadRequest, "Headers in the Request-URI");
        }
        return Valid;
    }

    private static bool AllViasWellFormed(SipMessage request)
    {
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != HeaderKind.Via) continue;
            ReadOnlySpan<byte> value = request[header.Value];
            while (true)
            {
                int length = SipSyntax.FirstListElementLength(value);
                ViaValue via = ViaValue.Parse(value[..length]);
                if (!via.IsValid || !via.HasWellFormedParameters) return false;
                if (length >= value.Length) break;
                value = value[(length + 1)..];
            }
        }
        return true;
    }

    private static bool HasSchemeOtherThanSip(ReadOnlySpan<byte> uri)
    {
        int colon = uri.IndexOf((byte)':');
        if (colon <= 0) return false;
        ReadOnlySpan<byte> scheme = uri[..colon];
        if (!char.IsAsciiLetter((char)scheme[0])) return false;
        foreach (byte b in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.')) return false;
        }
        return !Ascii.EqualsIgnoreCase(scheme, "sip"u8) && !Ascii.EqualsIgnoreCase(scheme, "sips"u8);
    }
}
