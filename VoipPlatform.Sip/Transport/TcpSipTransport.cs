using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 section 18): a listener on the SIP port and one <see cref="TcpConnection"/> per flow,
/// accepted or opened on demand. Connections are keyed by the peer's address and port, so responses and requests
/// to a peer reuse the flow it opened (RFC 5626's flow idea, without Outbound's flow tokens); flows idle longer
/// than <see cref="SipTransportOptions.TcpIdleTimeout"/> are closed.
/// </summary>
internal sealed class TcpSipTransport : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _flows = new();
    private readonly ConcurrentDictionary<IPEndPoint, long> _refusedUntil = new();
    private readonly Func<byte[], int, IPEndPoint, bool> _udpFallback;
    private readonly SslServerAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private Action<SipMessage, IPEndPoint>? _onMessage;
    private Task? _acceptLoop;
    private Task? _idleSweep;

    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="idleTimeout">Flows idle this long are closed.</param>
    /// <param name="udpFallback">Sends a message over UDP: used when a peer refuses TCP.</param>
    /// <param name="logger">Log.</param>
    /// <param name="tls">With TLS (RFC 3261 section 26.2): every accepted flow starts with a server handshake, and
    /// this transport only answers on flows peers opened (it opens no TLS connection itself).</param>
    public TcpSipTransport(IPEndPoint bind, TimeSpan idleTimeout, Func<byte[], int, IPEndPoint, bool> udpFallback, ILogger logger,
        SslServerAuthenticationOptions? tls = null)
    {
        _udpFallback = udpFallback;
        _tls = tls;
        _logger = logger;
        _idleTimeout = idleTimeout;
        _listener = new TcpListener(bind);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(backlog: 1024);
    }

    /// <summary>Where this transport listens.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start(Action<SipMessage, IPEndPoint> onMessage)
    {
        _onMessage = onMessage;
        _acceptLoop = AcceptLoopAsync();
        _idleSweep = SweepIdleAsync();
    }

    /// <summary>
    /// True when <paramref name="peer"/> refused a TCP connection recently: many UAs (SIPp among them) listen on UDP
    /// only, although RFC 3261 section 18 asks every element for both.
    /// </summary>
    public bool RecentlyRefused(IPEndPoint peer) =>
        _refusedUntil.TryGetValue(peer, out long until) && Environment.TickCount64 < until;

    /// <summary>True when a flow to <paramref name="peer"/> is open.</summary>
    public bool HasFlow(IPEndPoint peer) => _flows.TryGetValue(peer, out var flow) && !flow.IsClosed;

    /// <summary>Queues a message on the flow to <paramref name="peer"/>, opening one when there is none.</summary>
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint peer)
    {
        if (_flows.TryGetValue(peer, out var flow) && !flow.IsClosed) return flow.Enqueue(message);
        if (_tls is not null)
        {
            _logger.LogDebug("No TLS flow to {Peer}: this hop does not open TLS connections", peer);
            return false;
        }
        var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var opened = new TcpConnection(socket, peer, _logger);
        if (!_flows.TryAdd(peer, opened))
        {
            socket.Dispose();
            return _flows.TryGetValue(peer, out flow) && flow.Enqueue(message);
        }
        opened.Enqueue(message); // written once connected
        _ = ConnectAndRunAsync(socket, opened);
        return true;
    }

    private async Task ConnectAndRunAsync(Socket socket, TcpConnection flow)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(flow.Remote, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The peer takes no TCP: what was queued goes over UDP after all, with the Via saying so, and the
            // peer is not asked again for a while.
            _logger.LogDebug("TCP connect to {Remote} failed ({Reason}): falling back to UDP", flow.Remote, ex.Message);
            _refusedUntil[flow.Remote] = Environment.TickCount64 + (long)RefusalMemory.TotalMilliseconds;
            _flows.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(flow.Remote, flow));
            foreach (var (message, length) in flow.TakeQueued())
            {
                if (!_stopping.IsCancellationRequested)
                {
                    ViaTransportPatch.ToUdp(message.AsSpan(0, length));
                    _udpFallback(message, length, flow.Remote);
                }
                System.Buffers.ArrayPool<byte>.Shared.Return(message);
            }
            await flow.DisposeAsync();
            return;
        }
        await flow.RunAsync(_onMessage!, Forget);
    }

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
                _logger.LogWarning(ex, "TCP accept failed; accepting goes on");
                continue;
            }
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            var flow = new TcpConnection(socket, remote, _logger, _tls is null ? SipProtocol.Tcp : SipProtocol.Tls);
            if (_flows.TryGetValue(remote, out var previous)) await previous.DisposeAsync();
            _flows[remote] = flow;
            _ = flow.RunAsync(_onMessage!, Forget, _tls is null ? null : HandshakeAsync);
        }
    }

    /// <summary>How long a peer that refused TCP is sent UDP without trying again.</summary>
    private static readonly TimeSpan RefusalMemory = TimeSpan.FromMinutes(5);

    private async Task<Stream> HandshakeAsync(Stream network, CancellationToken cancellation)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(_tls!, cancellation);
        return tls;
    }

    private void Forget(TcpConnection flow) => _flows.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(flow.Remote, flow));

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
