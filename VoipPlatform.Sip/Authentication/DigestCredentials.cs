using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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
    /// Parses the header value. Returns null for another scheme, a missing mandatory parameter, a parameter given
    /// twice, or a syntax error, so that a caller challenges again rather than guessing. Allocates only the values it
    /// returns: one runs per authenticated request.
    /// </summary>
    public static DigestCredentials? Parse(string value)
    {
        ReadOnlySpan<char> text = value.AsSpan().Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || text.Length < 7 || !char.IsWhiteSpace(text[6])) return null;
        var found = new Parameters();
        int i = 7;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ',')) i++;
            if (i >= text.Length) break;
            int eq = text[i..].IndexOf('=');
            if (eq < 0) return null;
            ReadOnlySpan<char> name = text.Slice(i, eq).Trim();
            i += eq + 1;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            ReadOnlySpan<char> raw;
            bool escaped = false;
            if (i < text.Length && text[i] == '"')
            {
                int start = ++i;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        escaped = true;
                        i++;
                    }
                    i++;
                }
                if (i >= text.Length) return null; // unterminated quoted string
                raw = text[start..i++];
            }
            else
            {
                int end = text[i..].IndexOf(',');
                end = end < 0 ? text.Length : i + end;
                raw = text[i..end].Trim();
                i = end;
            }
            if (name.IsEmpty) return null;
            ref string? slot = ref found.Slot(name);
            if (Unsafe.IsNullRef(ref slot)) continue; // a parameter this server does not use (RFC 2617 auth-param)
            if (slot is not null) return null; // given twice: ambiguous
            slot = escaped ? Unescape(raw) : raw.ToString();
        }

        if (found.Username is not { } username || found.Realm is not { } realm || found.Nonce is not { } nonce
            || found.Uri is not { } uri || found.Response is not { } response)
        {
            return null;
        }
        if (found.Qop is not null && (found.NonceCount is null || found.ClientNonce is null)) return null; // RFC 2617 section 3.2.2
        return new DigestCredentials(username, realm, nonce, uri, response, found.Algorithm, found.Qop, found.NonceCount, found.ClientNonce,
            found.Opaque);
    }

    /// <summary>The parameters read so far.</summary>
    private struct Parameters
    {
        public string? Username, Realm, Nonce, Uri, Response, Algorithm, Qop, NonceCount, ClientNonce, Opaque;

        /// <summary>Where the value of parameter <paramref name="name"/> goes; a null reference for one this server ignores.</summary>
        [UnscopedRef]
        public ref string? Slot(ReadOnlySpan<char> name)
        {
            if (name.Equals("username", StringComparison.OrdinalIgnoreCase)) return ref Username;
            if (name.Equals("realm", StringComparison.OrdinalIgnoreCase)) return ref Realm;
            if (name.Equals("nonce", StringComparison.OrdinalIgnoreCase)) return ref Nonce;
            if (name.Equals("uri", StringComparison.OrdinalIgnoreCase)) return ref Uri;
            if (name.Equals("response", StringComparison.OrdinalIgnoreCase)) return ref Response;
            if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase)) return ref Algorithm;
            if (name.Equals("qop", StringComparison.OrdinalIgnoreCase)) return ref Qop;
            if (name.Equals("nc", StringComparison.OrdinalIgnoreCase)) return ref NonceCount;
            if (name.Equals("cnonce", StringComparison.OrdinalIgnoreCase)) return ref ClientNonce;
            if (name.Equals("opaque", StringComparison.OrdinalIgnoreCase)) return ref Opaque;
            return ref Unsafe.NullRef<string?>();
        }
    }

    /// <summary>A quoted-string's content with its quoted-pairs (backslash escapes) resolved.</summary>
    private static string Unescape(ReadOnlySpan<char> quoted)
    {
        Span<char> text = quoted.Length <= 256 ? stackalloc char[quoted.Length] : new char[quoted.Length];
        int length = 0;
        for (int i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length) i++;
            text[length++] = quoted[i];
        }
        return new string(text[..length]);
    }
}
