using System.Buffers;

namespace VoipPlatform.Sip.Messages;

/// <summary>
/// A header a routing policy asks the core to add to a response or a forwarded request. Checked on construction,
/// because the values often come from outside the SIP layer (the business-logic API): a CR or LF in a value would
/// let it inject headers of its own.
/// </summary>
public readonly record struct SipHeader
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    /// <summary>Creates a header.</summary>
    /// <exception cref="ArgumentException">The name is not a SIP token, or the value holds a control character.</exception>
    public SipHeader(string name, string value)
    {
        if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(TokenChars))
        {
            throw new ArgumentException($"'{name}' is not a valid SIP header name.", nameof(name));
        }
        if (value.AsSpan().ContainsAnyInRange('\0', '\x1f') || value.Contains('\x7f'))
        {
            throw new ArgumentException($"The value of header {name} contains a control character.", nameof(value));
        }
        Name = name;
        Value = value;
    }

    /// <summary>Header name.</summary>
    public string Name { get; }

    /// <summary>Header value, as written.</summary>
    public string Value { get; }

    /// <summary>The headers as <c>Name: value CRLF</c> lines, ready to copy into a message; encoded straight into one array.</summary>
    internal static byte[] ToLines(IReadOnlyList<SipHeader> headers)
    {
        var utf8 = System.Text.Encoding.UTF8;
        int length = 0;
        foreach (SipHeader header in headers) length += utf8.GetByteCount(header.Name) + utf8.GetByteCount(header.Value) + 4;
        byte[] lines = new byte[length];
        Span<byte> rest = lines;
        foreach (SipHeader header in headers)
        {
            rest = rest[utf8.GetBytes(header.Name, rest)..];
            ": "u8.CopyTo(rest);
            rest = rest[(2 + utf8.GetBytes(header.Value, rest[2..]))..];
            "\r\n"u8.CopyTo(rest);
            rest = rest[2..];
        }
        return lines;
    }
}
