using System.Buffers.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>Splits <c>host[:port]</c>, including bracketed IPv6 references.</summary>
internal static class HostPort
{
    /// <summary>Returns false when the text is not a syntactically usable host and port.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> s, out ReadOnlySpan<byte> host, out int port)
    {
        host = default;
        port = 0;
        s = SipSyntax.Trim(s);
        if (s.IsEmpty) return false;

        ReadOnlySpan<byte> rest;
        if (s[0] == '[')
        {
            int close = s.IndexOf((byte)']');
            if (close < 0) return false;
            host = s[..(close + 1)];
            rest = s[(close + 1)..];
        }
        else
        {
            int colon = s.IndexOf((byte)':');
            host = colon < 0 ? s : s[..colon];
            rest = colon < 0 ? default : s[colon..];
        }

        host = SipSyntax.Trim(host);
        if (host.IsEmpty) return false;
        rest = SipSyntax.Trim(rest);
        if (rest.IsEmpty) return true;
        if (rest[0] != ':') return false;
        rest = SipSyntax.Trim(rest[1..]);
        return Utf8Parser.TryParse(rest, out port, out int used) && used == rest.Length && port is > 0 and <= 65535;
    }
}
