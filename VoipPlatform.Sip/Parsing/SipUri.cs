using System.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>A <c>sip:</c> or <c>sips:</c> URI (RFC 3261 section 19.1), as slices of its text.</summary>
public readonly ref struct SipUri
{
    private SipUri(bool secure, ReadOnlySpan<byte> user, ReadOnlySpan<byte> host, int port, ReadOnlySpan<byte> parameters, bool hasHeaders)
    {
        IsValid = true;
        HasHeaders = hasHeaders;
        IsSecure = secure;
        User = user;
        Host = host;
        Port = port;
        ParameterList = parameters;
    }

    /// <summary>False when the text is not a SIP or SIPS URI.</summary>
    public bool IsValid { get; }

    /// <summary>True when the URI carries a <c>?headers</c> part (allowed in a Contact, not in a Request-URI).</summary>
    public bool HasHeaders { get; }

    /// <summary>True for <c>sips:</c>.</summary>
    public bool IsSecure { get; }

    /// <summary>The user part (before <c>@</c>), without password.</summary>
    public ReadOnlySpan<byte> User { get; }

    /// <summary>The host.</summary>
    public ReadOnlySpan<byte> Host { get; }

    /// <summary>The port, 0 when absent.</summary>
    public int Port { get; }

    /// <summary>The URI parameters without the leading semicolon (headers part excluded).</summary>
    public ReadOnlySpan<byte> ParameterList { get; }

    /// <summary>True when the <c>lr</c> parameter marks a loose router (RFC 3261 section 16.12).</summary>
    public bool IsLooseRouter => Parameters.TryGet(ParameterList, "lr"u8, out _);

    /// <summary>The value of a URI parameter.</summary>
    public ReadOnlySpan<byte> Parameter(ReadOnlySpan<byte> name) => Parameters.Get(ParameterList, name);

    /// <summary>Parses a SIP or SIPS URI.</summary>
    public static SipUri Parse(ReadOnlySpan<byte> text)
    {
        text = SipSyntax.Trim(text);
        int colon = text.IndexOf((byte)':');
        if (colon < 0) return default;
        ReadOnlySpan<byte> scheme = text[..colon];
        bool secure;
        if (Ascii.EqualsIgnoreCase(scheme, "sip"u8)) secure = false;
        else if (Ascii.EqualsIgnoreCase(scheme, "sips"u8)) secure = true;
        else return default;

        ReadOnlySpan<byte> rest = text[(colon + 1)..];

        // userinfo may hold '?' and ';' (RFC 4475 section 3.1.1.2): split it off at the last '@' first.
        ReadOnlySpan<byte> user = default;
        int at = rest.LastIndexOf((byte)'@');
        if (at >= 0)
        {
            user = rest[..at];
            int password = user.IndexOf((byte)':');
            if (password >= 0) user = user[..password];
            rest = rest[(at + 1)..];
        }
        int question = rest.IndexOf((byte)'?');
        bool hasHeaders = question >= 0;
        if (hasHeaders) rest = rest[..question];

        int semi = rest.IndexOf((byte)';');
        ReadOnlySpan<byte> hostPort = semi < 0 ? rest : rest[..semi];
        ReadOnlySpan<byte> parameters = semi < 0 ? default : rest[(semi + 1)..];
        if (!HostPort.TrySplit(hostPort, out var host, out int port)) return default;
        return new SipUri(secure, user, host, port, parameters, hasHeaders);
    }
}
