using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// One SIP flow over a WebSocket (RFC 7118) a peer opened: the upgrade handshake, then a read loop that takes each
/// WebSocket message (text or binary, reassembled from its frames) as exactly one SIP message, and a write loop fed
/// by a queue so that senders never block on the network and messages leave in the order queued.
/// </summary>
internal sealed class WebSocketConnection : IStreamFlow
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private static long s_lastId;
    private readonly Socket _socket;
    private readonly Channel<(byte[] Buffer, int Length)> _outgoing = Channel.CreateBounded<(byte[], int)>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closing = new();
    private readonly ILogger _logger;
    private readonly SipProtocol _protocol;
    private WebSocket? _webSocket;
    private long _lastActivityTicks = Environment.TickCount64;

    public WebSocketConnection(Socket socket, IPEndPoint remote, SipProtocol protocol, ILogger logger)
    {
        _socket = socket;
        _socket.NoDelay = true;
        Remote = remote;
        _protocol = protocol;
        _logger = logger;
    }

    /// <summary>The peer's address and port: the key of the flow table.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Unique in this process: tells this connection from a later one of the same peer address (flow tokens name it).</summary>
    public long Id { get; } = Interlocked.Increment(ref s_lastId);

    /// <summary>True once the upgrade succeeded and until the connection closes: only then can SIP be sent on it.</summary>
    public bool IsOpen => _webSocket is not null && !_closing.IsCancellationRequested;

    /// <summary>Milliseconds since a SIP message or keep-alive was read or written.</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastActivityTicks);

    /// <summary>Queues a message; false when the connection is not open or its queue is full.</summary>
    public bool Enqueue(ReadOnlySpan<byte> message)
    {
        if (!IsOpen) return false;
        byte[] copy = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(copy);
        if (_outgoing.Writer.TryWrite((copy, message.Length))) return true;
        ArrayPool<byte>.Shared.Return(copy);
        return false;
    }

    /// <summary>
    /// Runs the handshake (after <paramref name="secure"/>'s TLS handshake, for WSS), then both loops until the peer
    /// closes, an error occurs or <see cref="DisposeAsync"/> is called.
    /// </summary>
    public async Task RunAsync(Action<SipMessage, IPEndPoint> onMessage, Action<WebSocketConnection> onClosed, TimeSpan keepAlive,
        Func<Stream, CancellationToken, Task<Stream>>? secure)
    {
        Stream? stream = null;
        try
        {
            stream = new NetworkStream(_socket, ownsSocket: false);
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token))
            {
                handshake.CancelAfter(HandshakeTimeout);
                if (secure is not null) stream = await secure(stream, handshake.Token);
                if (!await WebSocketHandshake.AcceptAsync(stream, handshake.Token))
                {
                    _logger.LogDebug("Refused a WebSocket upgrade from {Remote}", Remote);
                    return;
                }
            }
            _webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = true,
                SubProtocol = WebSocketHandshake.SubProtocol,
                KeepAliveInterval = keepAlive,
            });
            Touch();
            await Task.WhenAny(ReadLoopAsync(_webSocket, onMessage), WriteLoopAsync(_webSocket));
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException
                                       or SocketException or WebSocketException)
        {
            _logger.LogDebug("WebSocket flow with {Remote} ended: {Reason}", Remote, ex.Message);
        }
        finally
        {
            await _closing.CancelAsync();
            _outgoing.Writer.TryComplete();
            while (_outgoing.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
            _webSocket?.Dispose();
            if (stream is not null) await stream.DisposeAsync();
            _socket.Dispose();
            onClosed(this);
        }
    }

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private async Task ReadLoopAsync(WebSocket webSocket, Action<SipMessage, IPEndPoint> onMessage)
    {
        // One byte over the limit, so that a message of exactly the limit fits and a longer one is seen as such.
        const int limit = StreamFraming.MaxMessageBytes + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                int filled = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (filled == limit)
                    {
                        // RFC 7118 sets no limit; ours is the stream transports' (64 KiB), and a longer message ends the flow.
                        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "oversized websocket message"));
                        _logger.LogDebug("Closing the WebSocket flow from {Remote}: message over {Limit} bytes", Remote, StreamFraming.MaxMessageBytes);
                        await CloseAsync(webSocket, WebSocketCloseStatus.MessageTooBig, "SIP message too big");
                        return;
                    }
                    result = await webSocket.ReceiveAsync(buffer.AsMemory(filled, limit - filled), _closing.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await CloseAsync(webSocket, WebSocketCloseStatus.NormalClosure, null);
                        return;
                    }
                    filled += result.Count;
                }
                while (!result.EndOfMessage);
                Touch();
                Deliver(buffer.AsSpan(0, filled), onMessage);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // the flow ended; its transactions recover by their timers
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Deliver(ReadOnlySpan<byte> bytes, Action<SipMessage, IPEndPoint> onMessage)
    {
        if (bytes.IsEmpty) return;
        if (bytes.IndexOfAnyExcept("\r\n"u8) < 0)
        {
            // A CRLF keep-alive (RFC 5626 section 3.5.1) sent as a message, as SIP.js and JsSIP do: a double CRLF is a ping.
            if (bytes.Length >= 4) Enqueue(Pong);
            return;
        }
        SipMetrics.MessagesReceived.Add(1);
        if (SipParser.TryParse(bytes, out SipMessage? message, out string reason) == SipParseStatus.Ok)
        {
            message!.ArrivedOver = _protocol;
            onMessage(message, Remote);
            return;
        }
        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed"));
        _logger.LogDebug("Dropped a malformed WebSocket message ({Reason}) from {Remote}", reason, Remote);
    }

    private async Task CloseAsync(WebSocket webSocket, WebSocketCloseStatus status, string? description)
    {
        // The WebSocket serialises this close frame with a message the write loop may be sending, whole frames each.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await webSocket.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task WriteLoopAsync(WebSocket webSocket)
    {
        try
        {
            await foreach (var (message, length) in _outgoing.Reader.ReadAllAsync(_closing.Token))
            {
                try
                {
                    // Text frames: SIP is UTF-8 text (RFC 7118 section 5.1) and browsers' SIP stacks read text most readily.
                    await webSocket.SendAsync(message.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
                    SipMetrics.MessagesSent.Add(1);
                    Touch();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(message);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
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
