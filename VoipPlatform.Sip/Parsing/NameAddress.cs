namespace VoipPlatform.Sip.Parsing;

/// <summary>
/// A <c>name-addr</c> or <c>addr-spec</c> with header parameters, as in From, To, Contact, Route and
/// Record-Route: <c>"Display" &lt;sip:uri;uri-params&gt;;header-params</c>.
/// </summary>
public readonly ref struct NameAddress
{
    private NameAddress(ReadOnlySpan<byte> uri, ReadOnlySpan<byte> parameters)
    {
        IsValid = true;
        Uri = uri;
        ParameterList = parameters;
    }

    /// <summary>False when no URI could be found.</summary>
    public bool IsValid { get; }

    /// <summary>The URI text (inside the angle brackets when present).</summary>
    public ReadOnlySpan<byte> Uri { get; }

    /// <summary>The header parameters after the address.</summary>
    public ReadOnlySpan<byte> ParameterList { get; }

    /// <summary>The value of a header parameter, e.g. <c>tag</c>.</summary>
    public ReadOnlySpan<byte> Parameter(ReadOnlySpan<byte> name) => Parameters.Get(ParameterList, name);

    /// <summary>Parses one address (not a comma-separated list).</summary>
    public static NameAddress Parse(ReadOnlySpan<byte> value)
    {
        value = SipSyntax.Trim(value);
        if (value.IsEmpty || !QuotesBalanced(value)) return default;

        int open = SipSyntax.IndexOfUnquoted(value, (byte)'<');
        if (open >= 0)
        {
            int close = value[open..].IndexOf((byte)'>');
            if (close < 0 || close == 1) return default;
            ReadOnlySpan<byte> uri = value.Slice(open + 1, close - 1);
            ReadOnlySpan<byte> after = SipSyntax.Trim(value[(open + close + 1)..]);
            return new NameAddress(uri, after.StartsWith(";"u8) ? after[1..] : default);
        }

        // addr-spec without brackets: parameters after the URI belong to the header (RFC 3261 section 20).
        int semi = value.IndexOf((byte)';');
        return semi < 0 ? new NameAddress(value, default) : new NameAddress(SipSyntax.Trim(value[..semi]), value[(semi + 1)..]);
    }

    private static bool QuotesBalanced(ReadOnlySpan<byte> s)
    {
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            if (quoted && s[i] == '\\') { i++; continue; }
            if (s[i] == '"') quoted = !quoted;
        }
        return !quoted;
    }

}
