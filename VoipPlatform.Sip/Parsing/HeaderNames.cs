using System.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>Canonical header names (as bytes, for writing) and the name → <see cref="HeaderKind"/> lookup.</summary>
public static class HeaderNames
{
    /// <summary>
    /// The header in which proxy and router carry the W3C <c>traceparent</c> of the transaction that
    /// forwarded a request, so that one call shows as one trace across services.
    /// </summary>
    public const string TraceParent = "X-VP-Traceparent";

    internal static ReadOnlySpan<byte> Via => "Via"u8;
    internal static ReadOnlySpan<byte> From => "From"u8;
    internal static ReadOnlySpan<byte> To => "To"u8;
    internal static ReadOnlySpan<byte> CallId => "Call-ID"u8;
    internal static ReadOnlySpan<byte> CSeq => "CSeq"u8;
    internal static ReadOnlySpan<byte> MaxForwards => "Max-Forwards"u8;
    internal const string RouteText = "Route";
    internal static ReadOnlySpan<byte> Route => "Route"u8;
    internal static ReadOnlySpan<byte> Path => "Path"u8;
    internal static ReadOnlySpan<byte> RecordRoute => "Record-Route"u8;
    internal static ReadOnlySpan<byte> ContentLength => "Content-Length"u8;
    internal static ReadOnlySpan<byte> TraceParentBytes => "X-VP-Traceparent"u8;
    internal static ReadOnlySpan<byte> Unsupported => "Unsupported"u8;
    internal static ReadOnlySpan<byte> RetryAfter => "Retry-After"u8;

    /// <summary>Classifies a header name, accepting RFC 3261 compact forms, case-insensitively.</summary>
    public static HeaderKind Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            return (name[0] | 0x20) switch
            {
                'v' => HeaderKind.Via,
                'f' => HeaderKind.From,
                't' => HeaderKind.To,
                'i' => HeaderKind.CallId,
                'm' => HeaderKind.Contact,
                'l' => HeaderKind.ContentLength,
                'c' => HeaderKind.ContentType,
                _ => HeaderKind.Other,
            };
        }

        // Dispatch on length first so that most names are rejected after one comparison.
        return name.Length switch
        {
            2 when Ascii.EqualsIgnoreCase(name, "To"u8) => HeaderKind.To,
            3 when Ascii.EqualsIgnoreCase(name, "Via"u8) => HeaderKind.Via,
            4 when Ascii.EqualsIgnoreCase(name, "From"u8) => HeaderKind.From,
            4 when Ascii.EqualsIgnoreCase(name, "CSeq"u8) => HeaderKind.CSeq,
            5 when Ascii.EqualsIgnoreCase(name, "Route"u8) => HeaderKind.Route,
            7 when Ascii.EqualsIgnoreCase(name, "Call-ID"u8) => HeaderKind.CallId,
            7 when Ascii.EqualsIgnoreCase(name, "Contact"u8) => HeaderKind.Contact,
            12 when Ascii.EqualsIgnoreCase(name, "Max-Forwards"u8) => HeaderKind.MaxForwards,
            12 when Ascii.EqualsIgnoreCase(name, "Record-Route"u8) => HeaderKind.RecordRoute,
            12 when Ascii.EqualsIgnoreCase(name, "Content-Type"u8) => HeaderKind.ContentType,
            13 when Ascii.EqualsIgnoreCase(name, "Proxy-Require"u8) => HeaderKind.ProxyRequire,
            14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => HeaderKind.ContentLength,
            16 when Ascii.EqualsIgnoreCase(name, "X-VP-Traceparent"u8) => HeaderKind.TraceParent,
            _ => HeaderKind.Other,
        };
    }
}
