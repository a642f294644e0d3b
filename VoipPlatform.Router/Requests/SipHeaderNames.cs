namespace VoipPlatform.Router.Requests;

/// <summary>Names of the headers the router reads or writes (RFC 3261, RFC 3327).</summary>
internal static class SipHeaderNames
{
    public const string Contact = "Contact";
    public const string ContactCompact = "m";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string Authorization = "Authorization";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string Path = "Path";
    public const string Supported = "Supported";
    public const string SupportedCompact = "k";
    public const string RetryAfter = "Retry-After";
    public const string Date = "Date";
}
