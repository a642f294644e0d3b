using System.Buffers;

namespace VoipPlatform.Sip.Writing;

/// <summary>
/// Bytes ready to send, in a pooled buffer. Kept by transactions for retransmission and returned to the pool
/// by <see cref="Dispose"/> when the transaction no longer needs them.
/// </summary>
public sealed class OutgoingMessage : IDisposable
{
    private byte[]? _buffer;

    internal OutgoingMessage(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Number of bytes.</summary>
    public int Length { get; }

    /// <summary>The message bytes.</summary>
    public ReadOnlySpan<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(OutgoingMessage))).AsSpan(0, Length);

    /// <inheritdoc />
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
