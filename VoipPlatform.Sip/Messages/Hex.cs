using System.Buffers.Binary;

namespace VoipPlatform.Sip.Messages;

/// <summary>Lower-case hex digits written as ASCII bytes into a span: branches, tags, trace contexts.</summary>
internal static class Hex
{
    /// <summary>Writes <paramref name="raw"/> as 2 digits per byte.</summary>
    public static void Write(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            destination[2 * i] = Digit(raw[i] >> 4);
            destination[2 * i + 1] = Digit(raw[i] & 0xF);
        }
    }

    /// <summary>Writes <paramref name="value"/> as 16 digits, most significant first.</summary>
    public static void Write(ulong value, Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(raw, value);
        Write(raw, destination);
    }

    private static byte Digit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
