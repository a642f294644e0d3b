using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118), plain (WS) or over TLS (WSS): a listener and one <see cref="WebSocketConnection"/>
/// per browser. Flows are keyed by the peer's address and port like the TCP ones, so responses go back on the
/// connection a request came on. This hop opens no WebSocket itself: a browser is reachable only over the connection
/// it opened (its Contact host is a made-up <c>.invalid</c> name), which is what flow tokens name.
/// </summary>
internal sealed class WebSocketSipTransport : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<IPEndPoint, WebSocketConnection> _flows = new();
    private readonly SslServerAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _keepAlive;
    private readonly CancellationTokenSource _stopping = new();
    private Action<SipMessage, IPEndPoint>? _onMessage;
    private Task? _acceptLoop;
    private Task? _idleSweep;

    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="idleTimeout">Flows idle this long are closed.</param>
    /// <param name="keepAlive">Interval of WebSocket pings (zero: none).</param>
    /// <param name="logger">Log.</param>
    /// <param name="tls">For WSS: every connection starts with a TLS server handshake.</param>
    public WebSocketSipTransport(IPEndPoint bind, TimeSpan idleTimeout, TimeSpan keepAlive, ILogger logger, SslServerAuthenticationOptions? tls = null)
    {
        _tls = tls;
        _logger = logger;
        _idleTimeout = idleTimeout;
        _keepAlive = keepAlive;
        _listener = new TcpListener(bind);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(backlog: 1024);
    }

    /// <summary>Where this transport listens.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary><see cref="SipProtocol.Wss"/> with TLS, else <see cref="SipProtocol.Ws"/>.</summary>
    public SipProtocol Protocol => _tls is null ? SipProtocol.Ws : SipProtocol.Wss;

    public void Start(Action<SipMessage, IPEndPoint> onMessage)
    {
        _onMessage = onMessage;
        _acceptLoop = AcceptLoopAsync();
        _idleSweep = SweepIdleAsync();
    }

    /// <summary>True when an upgraded connection from <paramref name="peer"/> is open.</summary>
    public bool HasFlow(IPEndPoint peer) => _flows.TryGetValue(peer, out var flow) && flow.IsOpen;

    /// <summary>The id of the open connection from <paramref name="peer"/>, if there is one.</summary>
    public bool TryGetFlow(IPEndPoint peer, out long id)
    {
        id = _flows.TryGetValue(peer, out var flow) && flow.IsOpen ? flow.Id : 0;
        return id != 0;
    }

    /// <summary>Queues a message on the connection from <paramref name="peer"/>; false when there is none.</summary>
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint peer) => _flows.TryGetValue(peer, out var flow) && flow.Enqueue(message);

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogWarning(ex, "WebSocket accept failed; accepting goes on");
                continue;
            }
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            var flow = new WebSocketConnection(socket, remote, Protocol, _logger);
            if (_flows.TryGetValue(remote, out var previous)) await previous.DisposeAsync();
            _flows[remote] = flow;
            _ = flow.RunAsync(_onMessage!, Forget, _keepAlive, _tls is null ? null : HandshakeAsync);
        }
    }

    private async Task<Stream> HandshakeAsync(Stream network, CancellationToken cancellation)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(_tls!, cancellation);
        return tls;
    }

    private void Forget(WebSocketConnection flow) => _flows.TryRemove(new KeyValuePair<IPEndPoint, WebSocketConnection>(flow.Remote, flow));

    private async Task SweepIdleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(_idleTimeout.TotalSeconds / 4, 1, 30)));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var flow in _flows.Values)
                {
                    if (flow.IdleMilliseconds > _idleTimeout.TotalMilliseconds) await flow.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var flow in _flows.Values) await flow.DisposeAsync();
        if (_acceptLoop is not null) await _acceptLoop;
        if (_idleSweep is not null) await _idleSweep;
        _stopping.Dispose();
    }
}
