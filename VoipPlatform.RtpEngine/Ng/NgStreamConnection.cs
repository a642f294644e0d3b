using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoipPlatform.RtpEngine.Ng;

/// <summary>
/// ng over TCP: one connection to RTPEngine, opened on first use and again after it drops; each request framed as
/// <c>length:payload</c>, each reply read up to the end of its bencoded dictionary. A send on a broken connection is dropped
/// silently: the request's retry, on a new connection, is what recovers, exactly as a lost datagram would be.
/// </summary>
internal sealed class NgStreamConnection(IPEndPoint endpoint, Action<ReadOnlyMemory<byte>> onMessage) : IAsyncDisposable
{
    private const int MaxMessage = 1 << 20;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Socket? _socket;

    public async Task SendAsync(byte[] payload, CancellationToken cancellation)
    {
        byte[] frame = [.. Encoding.ASCII.GetBytes($"{payload.Length}:"), .. payload];
        await _writing.WaitAsync(cancellation);
        try
        {
            Socket socket = _socket ??= await ConnectAsync(cancellation);
            await socket.SendAsync(frame, SocketFlags.None, cancellation);
        }
        catch (SocketException)
        {
            Drop(_socket);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellation)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellation);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _ = ReadAsync(socket);
        return socket;
    }

    private async Task ReadAsync(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxMessage + 16));
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _closing.Token);
                if (read == 0) break; // closed by RTPEngine
                filled += read;
                int consumed = 0;
                while (TryFrame(buffer.AsSpan(consumed, filled - consumed), out int start, out int length))
                {
                    onMessage(buffer.AsMemory(consumed + start, length));
                    consumed += start + length;
                }
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException or FormatException)
        {
            // dropped below; waiting requests retry on a new connection
        }
        Drop(socket);
    }

    /// <summary>
    /// A complete reply at the start of <paramref name="data"/>: an optional <c>digits:</c> prefix, the cookie, a space
    /// and one bencoded value. The prefix cannot be trusted as a length: RTPEngine 10.5 repeats the request's length
    /// in front of its reply; so the reply's end is where its bencoded value ends.
    /// </summary>
    private static bool TryFrame(ReadOnlySpan<byte> data, out int start, out int length)
    {
        start = length = 0;
        int prefix = 0;
        while (prefix < data.Length && char.IsAsciiDigit((char)data[prefix])) prefix++;
        if (prefix == data.Length) return false;
        if (prefix > 0 && data[prefix] == (byte)':') start = prefix + 1;
        int space = data[start..].IndexOf((byte)' ');
        if (space < 0)
        {
            if (data.Length - start > 256) throw new InvalidDataException("ng stream out of step: no cookie");
            return false;
        }
        int value = Bencode.BencodeFormat.MeasureValue(data[(start + space + 1)..]);
        if (value < 0) return false;
        length = space + 1 + value;
        return true;
    }

    private void Drop(Socket? socket)
    {
        if (socket is null) return;
        Interlocked.CompareExchange(ref _socket, null, socket);
        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        Drop(_socket);
        _closing.Dispose();
        _writing.Dispose();
    }
}
