using System.Buffers;
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
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            return Parse(utf8.AsSpan(0, Encoding.UTF8.GetBytes(value, utf8)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Parses a name-addr or URI straight from a message's bytes.</summary>
    public static SipAddress Parse(ReadOnlySpan<byte> value)
    {
        NameAddress address = NameAddress.Parse(value);
        if (!address.IsValid) return Empty;
        SipUri uri = SipUri.Parse(address.Uri);
        int open = value.IndexOf((byte)'<');
        string? display = open > 0 ? Text(value[..open]).Trim().Trim('"') : null;
        return new SipAddress(
            Text(address.Uri),
            uri.IsValid ? Text(uri.User) : "",
            uri.IsValid ? Text(uri.Host).ToLowerInvariant() : "",
            string.IsNullOrEmpty(display) ? null : display,
            Text(address.ParameterList));
    }

    private static string Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);

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
