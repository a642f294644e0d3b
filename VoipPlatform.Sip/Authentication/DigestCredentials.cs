using System.Text;

namespace VoipPlatform.Sip.Authentication;

/// <summary>The parameters of an <c>Authorization</c> or <c>Proxy-Authorization: Digest ...</c> header.</summary>
public sealed record DigestCredentials(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    string? Algorithm,
    string? Qop,
    string? NonceCount,
    string? ClientNonce,
    string? Opaque)
{
    /// <summary>
    /// Parses the header value. Returns null for another scheme, a missing mandatory parameter, or a syntax error,
    /// so that a caller challenges again rather than guessing.
    /// </summary>
    public static DigestCredentials? Parse(string value)
    {
        value = value.Trim();
        if (!value.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || value.Length < 7 || !char.IsWhiteSpace(value[6])) return null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 7;
        while (i < value.Length)
        {
            while (i < value.Length && (char.IsWhiteSpace(value[i]) || value[i] == ',')) i++;
            if (i >= value.Length) break;
            int eq = value.IndexOf('=', i);
            if (eq < 0) return null;
            string name = value[i..eq].Trim();
            i = eq + 1;
            while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
            string parameterValue;
            if (i < value.Length && value[i] == '"')
            {
                var text = new StringBuilder();
                i++;
                while (i < value.Length && value[i] != '"')
                {
                    if (value[i] == '\\' && i + 1 < value.Length) i++;
                    text.Append(value[i++]);
                }
                if (i >= value.Length) return null; // unterminated quoted string
                i++;
                parameterValue = text.ToString();
            }
            else
            {
                int end = value.IndexOf(',', i);
                if (end < 0) end = value.Length;
                parameterValue = value[i..end].Trim();
                i = end;
            }
            if (name.Length == 0 || !parameters.TryAdd(name, parameterValue)) return null; // duplicates are ambiguous
        }

        string? Get(string name) => parameters.TryGetValue(name, out string? v) ? v : null;
        if (Get("username") is not { } username || Get("realm") is not { } realm || Get("nonce") is not { } nonce
            || Get("uri") is not { } uri || Get("response") is not { } response)
        {
            return null;
        }
        string? qop = Get("qop");
        if (qop is not null && (Get("nc") is null || Get("cnonce") is null)) return null; // RFC 2617 section 3.2.2
        return new DigestCredentials(username, realm, nonce, uri, response, Get("algorithm"), qop, Get("nc"), Get("cnonce"), Get("opaque"));
    }
}
