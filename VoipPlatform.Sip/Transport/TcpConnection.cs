using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// One SIP flow over a stream (TCP, or TLS on top of it): a read loop that frames messages and answers CRLF pings,
/// and a write loop fed by a queue, so that a sender (a worker thread) never blocks on the network and messages
/// leave in the order queued.
/// </summary>
internal sealed class TcpConnection : IStreamFlow
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private readonly Socket _socket;
    private Stream? _stream;
    private readonly Channel<(byte[] Buffer, int Length)> _outgoing = Channel.CreateBounded<(byte[], int)>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closing = new();
    private readonly ILogger _logger;
    private long _lastActivityTicks = Environment.TickCount64;

    private readonly SipProtocol _protocol;

    public TcpConnection(Socket socket, IPEndPoint remote, ILogger logger, SipProtocol protocol = SipProtocol.Tcp)
    {
        _protocol = protocol;
        _socket = socket;
        _socket.NoDelay = true;
        Remote = remote;
        _logger = logger;
    }

    /// <summary>The peer's address and port: the flow's key.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Milliseconds since anything was read or written.</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastActivityTicks);

    public bool IsClosed => _closing.IsCancellationRequested;

    /// <summary>Queues a message; false when the connection is closed or its queue is full.</summary>
    public bool Enqueue(ReadOnlySpan<byte> message)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(copy);
        if (_outgoing.Writer.TryWrite((copy, message.Length))) return true;
        ArrayPool<byte>.Shared.Return(copy);
        return false;
    }

    /// <summary>Takes the messages still queued (a flow that never connected hands them to the UDP fallback).</summary>
    public List<(byte[] Buffer, int Length)> TakeQueued()
    {
        var queued = new List<(byte[], int)>();
        while (_outgoing.Reader.TryRead(out var item)) queued.Add(item);
        return queued;
    }

    /// <summary>
    /// Runs both loops until the peer closes, an error occurs or <see cref="DisposeAsync"/> is called.
    /// <paramref name="secure"/>, when given, turns the connected socket into the stream to use (a TLS handshake).
    /// </summary>
    public async Task RunAsync(Action<SipMessage, IPEndPoint> onMessage, Action<TcpConnection> onClosed, Func<Stream, CancellationToken, Task<Stream>>? secure = null)
    {
        try
        {
            Stream stream = new NetworkStream(_socket, ownsSocket: false);
            if (secure is not null)
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                handshake.CancelAfter(TimeSpan.FromSeconds(10));
                stream = await secure(stream, handshake.Token);
            }
            _stream = stream;
            await Task.WhenAny(ReadLoopAsync(onMessage), WriteLoopAsync());
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
            _logger.LogDebug("Flow with {Remote} ended during set-up: {Reason}", Remote, ex.Message);
        }
        finally
        {
            await _closing.CancelAsync();
            _outgoing.Writer.TryComplete();
            if (_stream is not null) await _stream.DisposeAsync();
            _socket.Dispose();
            onClosed(this);
        }
    }

    private async Task ReadLoopAsync(Action<SipMessage, IPEndPoint> onMessage)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamFraming.MaxMessageBytes + 4096);
        int filled = 0;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                int read = await _stream!.ReadAsync(buffer.AsMemory(filled), _closing.Token);
                if (read == 0) return; // the peer closed
                Touch();
                filled += read;
                int consumed = 0;
                while (true)
                {
                    var frame = StreamFraming.Next(buffer.AsSpan(consumed, filled - consumed), out int length, out bool isPing);
                    if (frame == StreamFraming.Frame.Incomplete) break;
                    if (frame == StreamFraming.Frame.Malformed)
                    {
                        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed stream"));
                        _logger.LogDebug("Closing the TCP flow from {Remote}: unframeable data", Remote);
                        return;
                    }
                    if (frame == StreamFraming.Frame.KeepAlive)
                    {
                        if (isPing) Enqueue(Pong);
                    }
                    else
                    {
                        SipMetrics.MessagesReceived.Add(1);
                        var status = SipParser.TryParse(buffer.AsSpan(consumed, length), out SipMessage? message, out string reason);
                        if (status == SipParseStatus.Ok)
                        {
                            message!.ArrivedOver = _protocol;
                            onMessage(message, Remote);
                        }
                        else _logger.LogDebug("Dropped a malformed message ({Reason}) from {Remote}", reason, Remote);
                    }
                    consumed += length;
                }
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the flow ended; its transactions recover by their timers
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var (message, length) in _outgoing.Reader.ReadAllAsync(_closing.Token))
            {
                try
                {
                    await _stream!.WriteAsync(message.AsMemory(0, length), _closing.Token);
                    SipMetrics.MessagesSent.Add(1);
                    Touch();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(message);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, Environment.TickCount64);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Dispose();
    }
}
