using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transport;

/// <summary>One connection of a stream transport, as its listener keeps it in the flow table.</summary>
internal interface IStreamFlow : IAsyncDisposable
{
    /// <summary>The peer's address and port: the flow's key.</summary>
    IPEndPoint Remote { get; }

    /// <summary>Milliseconds since anything was read or written.</summary>
    long IdleMilliseconds { get; }
}

/// <summary>
/// What the stream transports (TCP, TLS, WS, WSS) share: a listener, a table of flows keyed by the peer's address and
/// port (RFC 5626's flow idea: responses and later requests reuse the connection a peer opened), an accept loop
/// that replaces a peer's previous flow, and a sweep that closes flows idle longer than the idle timeout.
/// </summary>
internal abstract class StreamListener<TFlow> : IAsyncDisposable where TFlow : class, IStreamFlow
{
    private readonly TcpListener? _listener;
    private readonly TimeSpan _idleTimeout;
    private Task? _acceptLoop;
    private Task? _idleSweep;

    /// <param name="bind">Address and port to listen on; null for a transport that only opens connections.</param>
    /// <param name="idleTimeout">Flows idle this long are closed.</param>
    /// <param name="logger">Log.</param>
    /// <param name="tls">With TLS: every accepted flow starts with a server handshake (<see cref="SecureAsync"/>).</param>
    protected StreamListener(IPEndPoint? bind, TimeSpan idleTimeout, ILogger logger, SslServerAuthenticationOptions? tls)
    {
        Logger = logger;
        Tls = tls;
        _idleTimeout = idleTimeout;
        if (bind is null) return;
        _listener = new TcpListener(bind);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(backlog: 1024);
    }

    /// <summary>The flows, by peer.</summary>
    protected ConcurrentDictionary<IPEndPoint, TFlow> Flows { get; } = new();

    protected ILogger Logger { get; }

    /// <summary>The TLS server options, or null for a plain listener.</summary>
    protected SslServerAuthenticationOptions? Tls { get; }

    /// <summary>Cancelled when the transport stops.</summary>
    protected CancellationTokenSource Stopping { get; } = new();

    /// <summary>Where parsed messages go; set by <see cref="Start"/>.</summary>
    protected Action<SipMessage, IPEndPoint> OnMessage { get; private set; } = static (_, _) => { };

    /// <summary>Where this transport listens; null when it does not.</summary>
    public IPEndPoint? LocalEndPoint => (IPEndPoint?)_listener?.LocalEndpoint;

    public void Start(Action<SipMessage, IPEndPoint> onMessage)
    {
        OnMessage = onMessage;
        _acceptLoop = _listener is null ? Task.CompletedTask : AcceptLoopAsync();
        _idleSweep = SweepIdleAsync();
    }

    /// <summary>Makes the flow of an accepted connection.</summary>
    protected abstract TFlow Accepted(Socket socket, IPEndPoint remote);

    /// <summary>Runs an accepted flow until it ends (it calls <see cref="Forget"/> then).</summary>
    protected abstract Task RunAsync(TFlow flow);

    /// <summary>The TLS server handshake over a connected stream, with <see cref="Tls"/>.</summary>
    protected async Task<Stream> SecureAsync(Stream network, CancellationToken cancellation)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(Tls!, cancellation);
        return tls;
    }

    /// <summary>Takes a flow that ended out of the table (unless a newer flow of the same peer took its place).</summary>
    protected void Forget(TFlow flow) => Flows.TryRemove(new KeyValuePair<IPEndPoint, TFlow>(flow.Remote, flow));

    private async Task AcceptLoopAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(Stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || Stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                Logger.LogWarning(ex, "Accepting a {Listener} connection failed; accepting goes on", GetType().Name);
                continue;
            }
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            var flow = Accepted(socket, remote);
            if (Flows.TryGetValue(remote, out var previous)) await previous.DisposeAsync();
            Flows[remote] = flow;
            _ = RunAsync(flow);
        }
    }

    private async Task SweepIdleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(_idleTimeout.TotalSeconds / 4, 1, 30)));
        try
        {
            while (await timer.WaitForNextTickAsync(Stopping.Token))
            {
                foreach (var flow in Flows.Values)
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
        await Stopping.CancelAsync();
        _listener?.Stop();
        foreach (var flow in Flows.Values) await flow.DisposeAsync();
        if (_acceptLoop is not null) await _acceptLoop;
        if (_idleSweep is not null) await _idleSweep;
        Stopping.Dispose();
    }
}
