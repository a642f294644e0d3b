using System.Buffers.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>Small byte-level helpers shared by the parsers: whitespace, numbers, list splitting.</summary>
internal static class SipSyntax
{
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsWhitespace(s[start])) start++;
        while (end > start && IsWhitespace(s[end - 1])) end--;
        return s[start..end];
    }

    /// <summary>Trims a (start, length) range inside <paramref name="buffer"/>.</summary>
    public static (int Start, int Length) Trim(ReadOnlySpan<byte> buffer, int start, int length)
    {
        int end = start + length;
        while (start < end && IsWhitespace(buffer[start])) start++;
        while (end > start && IsWhitespace(buffer[end - 1])) end--;
        return (start, end - start);
    }

    /// <summary>Parses a non-negative decimal integer that must fill the whole span.</summary>
    public static bool TryParseNonNegative(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18) return false;
        foreach (byte b in s)
        {
            if (b < '0' || b > '9') return false;
        }
        return Utf8Parser.TryParse(s, out value, out int consumed) && consumed == s.Length;
    }

    /// <summary>Index of <paramref name="target"/> outside quoted strings (backslash escapes honoured), or -1.</summary>
    public static int IndexOfUnquoted(ReadOnlySpan<byte> s, byte target)
    {
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            if (quoted && s[i] == '\\') { i++; continue; }
            if (s[i] == '"') quoted = !quoted;
            else if (s[i] == target && !quoted) return i;
        }
        return -1;
    }

    /// <summary>
    /// Length of the first element of a comma-separated header value, respecting quoted strings and
    /// angle brackets (a comma inside <c>&lt;sip:a,b&gt;</c> or <c>"a, b"</c> does not split).
    /// </summary>
    public static int FirstListElementLength(ReadOnlySpan<byte> value)
    {
        bool quoted = false, bracketed = false;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (quoted)
            {
                if (b == '\\') i++;
                else if (b == '"') quoted = false;
            }
            else if (b == '"') quoted = true;
            else if (b == '<') bracketed = true;
            else if (b == '>') bracketed = false;
            else if (b == ',' && !bracketed) return i;
        }
        return value.Length;
    }
}
