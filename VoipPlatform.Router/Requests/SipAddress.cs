using System.Text;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Router.Requests;

/// <summary>A name-addr or URI reduced to what routing uses: the URI, its user and host, the display name, parameters.</summary>
internal sealed record SipAddress(string Uri, string User, string Host, string? DisplayName, string Parameters)
{
    private static readonly SipAddress Empty = new("", "", "", null, "");

    /// <summary>Parses <c>"Name" &lt;sip:user@host&gt;;tag=x</c>, <c>sip:user@host;expires=60</c> and the like.</summary>
    public static SipAddress Parse(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        NameAddress address = NameAddress.Parse(bytes);
        if (!address.IsValid) return Empty;
        SipUri uri = SipUri.Parse(address.Uri);
        int open = value.IndexOf('<');
        string? display = open > 0 ? value[..open].Trim().Trim('"') : null;
        return new SipAddress(
            Encoding.UTF8.GetString(address.Uri),
            uri.IsValid ? Encoding.UTF8.GetString(uri.User) : "",
            uri.IsValid ? Encoding.UTF8.GetString(uri.Host).ToLowerInvariant() : "",
            string.IsNullOrEmpty(display) ? null : display,
            Encoding.UTF8.GetString(address.ParameterList));
    }

    /// <summary>A parameter of the name-addr (e.g. <c>expires</c> of a Contact), or null.</summary>
    public string? Parameter(string name)
    {
        foreach (string part in Parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq].Trim();
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) return eq < 0 ? "" : part[(eq + 1)..].Trim().Trim('"');
        }
        return null;
    }
}
