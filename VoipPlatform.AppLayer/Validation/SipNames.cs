using System.Text.RegularExpressions;

namespace VoipPlatform.AppLayer.Validation;

/// <summary>
/// What a domain, a user part and a number may look like. Narrower than SIP allows, on purpose: none may contain
/// <c>:</c> (it separates the parts of an HA1 input and of Redis keys) or characters that need escaping in a URI,
/// a URL path or a SIP header.
/// </summary>
public static partial class SipNames
{
    private const int MaxDomainLength = 253;

    /// <summary>Host names and IPv4 literals (UAs such as SIPp use the proxy's address as the domain); lower-case.</summary>
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    /// <summary>Extensions and names (<c>1001</c>, <c>alice.smith</c>); case-sensitive like SIP user parts.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();

    /// <summary>DIDs and short numbers, optionally E.164 with a leading <c>+</c>.</summary>
    [GeneratedRegex(@"^\+?[0-9]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    /// <summary>A language tag such as <c>en</c> or <c>pt-BR</c>.</summary>
    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    /// <summary>
    /// A SIP URI the router can send to: scheme, optional user part, host (name, IPv4 or [IPv6]), optional port and
    /// parameters; no spaces, quotes or angle brackets (it is written into a Request-URI as is).
    /// </summary>
    [GeneratedRegex(@"^sips?:([A-Za-z0-9._~!$&'()*+,;=%-]+@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(;[A-Za-z0-9._~=%-]+)*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SipUriPattern();

    public static bool IsValidSipUri(string? value) => value is not null && SipUriPattern().IsMatch(value);

    /// <summary>Domains are case-insensitive: stored and looked up lower-case.</summary>
    public static bool TryNormalizeDomain(string? value, out string domain)
    {
        domain = value?.Trim().ToLowerInvariant() ?? "";
        return domain.Length is > 0 and <= MaxDomainLength && DomainPattern().IsMatch(domain);
    }

    public static bool IsValidUser(string? value) => value is not null && UserPattern().IsMatch(value);

    public static bool IsValidNumber(string? value) => value is not null && NumberPattern().IsMatch(value);

    public static bool IsValidLanguage(string? value) => value is not null && LanguagePattern().IsMatch(value);

    /// <summary>True when the text has no control characters (CR/LF would break a SIP header or a log line).</summary>
    public static bool IsPrintable(string value) => !value.Any(char.IsControl);
}
