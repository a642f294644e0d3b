using System.Buffers;
using System.Buffers.Text;

namespace VoipPlatform.Sip.Writing;

/// <summary>Appends SIP text to a pooled, growing buffer; ends as an <see cref="OutgoingMessage"/>.</summary>
public ref struct SipWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Starts a writer with room for <paramref name="sizeHint"/> bytes.</summary>
    public SipWriter(int sizeHint)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 512));
        _length = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>Appends raw bytes.</summary>
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends one byte.</summary>
    public void Write(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    /// <summary>Appends a decimal number.</summary>
    public void Write(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out int written);
        _length += written;
    }

    /// <summary>Appends CRLF.</summary>
    public void WriteCrlf() => Write("\r\n"u8);

    /// <summary>Appends <c>Name: value CRLF</c>.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        WriteCrlf();
    }

    /// <summary>Hands the buffer over; the writer must not be used afterwards.</summary>
    public OutgoingMessage Complete()
    {
        var message = new OutgoingMessage(_buffer, _length);
        _buffer = [];
        _length = 0;
        return message;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
