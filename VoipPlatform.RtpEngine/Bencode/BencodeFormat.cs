using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace VoipPlatform.RtpEngine.Bencode;

/// <summary>Bencode writer and reader. The reader is strict (no leading zeros, no <c>-0</c>, keys must be strings) and bounded.</summary>
public static class BencodeFormat
{
    /// <summary>Deepest nesting accepted; deeper input is refused rather than risking the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>Encodes a value.</summary>
    public static byte[] Encode(BValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one value that must span all of <paramref name="input"/>.</summary>
    /// <exception cref="FormatException">The input is not exactly one well-formed bencoded value.</exception>
    public static BValue Decode(ReadOnlySpan<byte> input)
    {
        int position = 0;
        BValue value = Read(input, ref position, 0);
        if (position != input.Length) throw new FormatException($"Trailing bytes after the value at offset {position}.");
        return value;
    }

    /// <summary>
    /// The length of the one bencoded value at the start of <paramref name="input"/>, or -1 when it is not complete yet
    /// (for reading values off a stream). Only the structure is checked; <see cref="Decode"/> checks the rest.
    /// </summary>
    /// <exception cref="FormatException">The input cannot be the start of a bencoded value.</exception>
    public static int MeasureValue(ReadOnlySpan<byte> input)
    {
        int position = 0, depth = 0;
        do
        {
            if (position >= input.Length) return -1;
            byte b = input[position];
            switch (b)
            {
                case (byte)'d' or (byte)'l':
                    depth++;
                    position++;
                    continue;
                case (byte)'e' when depth > 0:
                    depth--;
                    position++;
                    continue;
                case (byte)'i':
                    int end = input[position..].IndexOf((byte)'e');
                    if (end < 0) return -1;
                    position += end + 1;
                    continue;
                case >= (byte)'0' and <= (byte)'9':
                    int colon = input[position..].IndexOf((byte)':');
                    if (colon < 0) return -1;
                    if (colon > 9 || !int.TryParse(input.Slice(position, colon), System.Globalization.NumberStyles.None, null, out int length))
                    {
                        throw new FormatException($"Bad string length at offset {position}.");
                    }
                    position += colon + 1 + length;
                    if (position > input.Length) return -1;
                    continue;
                default:
                    throw new FormatException($"Unexpected byte {b} at offset {position}.");
            }
        }
        while (depth > 0);
        return position;
    }

    private static void Write(ArrayBufferWriter<byte> output, BValue value)
    {
        switch (value)
        {
            case BString s:
                WriteNumber(output, s.Bytes.Length);
                output.Write(":"u8);
                output.Write(s.Bytes);
                break;
            case BInteger i:
                output.Write("i"u8);
                WriteNumber(output, i.Value);
                output.Write("e"u8);
                break;
            case BList l:
                output.Write("l"u8);
                foreach (BValue item in l.Items) Write(output, item);
                output.Write("e"u8);
                break;
            case BDictionary d:
                output.Write("d"u8);
                // Keys in raw byte order (ordinal on their UTF-8 bytes), as the format requires.
                foreach (var (key, item) in d.Entries.Select(e => (Key: Encoding.UTF8.GetBytes(e.Key), e.Value))
                             .OrderBy(e => e.Key, ByteOrder.Instance))
                {
                    Write(output, new BString(key));
                    Write(output, item);
                }
                output.Write("e"u8);
                break;
            default:
                throw new ArgumentException($"Unknown bencode value {value.GetType().Name}.", nameof(value));
        }
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, long number)
    {
        Span<byte> digits = output.GetSpan(20);
        Utf8Formatter.TryFormat(number, digits, out int written);
        output.Advance(written);
    }

    private static BValue Read(ReadOnlySpan<byte> input, ref int position, int depth)
    {
        if (depth > MaxDepth) throw new FormatException("Nested too deeply.");
        if (position >= input.Length) throw new FormatException("Unexpected end of input.");
        byte first = input[position];
        switch (first)
        {
            case (byte)'i':
                position++;
                long value = ReadInteger(input, ref position, (byte)'e');
                return new BInteger(value);
            case (byte)'l':
            {
                position++;
                var items = new List<BValue>();
                while (Peek(input, position) != 'e') items.Add(Read(input, ref position, depth + 1));
                position++;
                return new BList(items);
            }
            case (byte)'d':
            {
                position++;
                var entries = new Dictionary<string, BValue>(StringComparer.Ordinal);
                while (Peek(input, position) != 'e')
                {
                    if (Read(input, ref position, depth + 1) is not BString key) throw new FormatException("A dictionary key must be a string.");
                    entries[key.Text] = Read(input, ref position, depth + 1);
                }
                position++;
                return new BDictionary(entries);
            }
            case >= (byte)'0' and <= (byte)'9':
            {
                long length = ReadInteger(input, ref position, (byte)':');
                if (length < 0 || length > input.Length - position) throw new FormatException($"String length {length} runs past the end.");
                byte[] bytes = input.Slice(position, (int)length).ToArray();
                position += (int)length;
                return new BString(bytes);
            }
            default:
                throw new FormatException($"Unexpected byte 0x{first:x2} at offset {position}.");
        }
    }

    private static byte Peek(ReadOnlySpan<byte> input, int position) =>
        position < input.Length ? input[position] : throw new FormatException("Unexpected end of input.");

    private static long ReadInteger(ReadOnlySpan<byte> input, ref int position, byte terminator)
    {
        int end = input[position..].IndexOf(terminator);
        if (end <= 0) throw new FormatException($"Number without '{(char)terminator}' at offset {position}.");
        ReadOnlySpan<byte> digits = input.Slice(position, end);
        bool negative = digits[0] == '-';
        ReadOnlySpan<byte> magnitude = negative ? digits[1..] : digits;
        if (magnitude.IsEmpty || (magnitude[0] == '0' && (magnitude.Length > 1 || negative)) || magnitude.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new FormatException($"Malformed number '{Encoding.ASCII.GetString(digits)}' at offset {position}.");
        }
        if (!Utf8Parser.TryParse(digits, out long value, out int consumed) || consumed != digits.Length) throw new FormatException("Number out of range.");
        position += end + 1;
        return value;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
