using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 section 18): a listener on the SIP port and one <see cref="TcpConnection"/> per flow,
/// accepted or opened on demand. Connections are keyed by the peer's address and port, so responses and requests
/// to a peer reuse the flow it opened (RFC 5626's flow idea, without Outbound's flow tokens); flows idle longer
/// than <see cref="SipTransportOptions.TcpIdleTimeout"/> are closed.
/// </summary>
internal sealed class TcpSipTransport : StreamListener<TcpConnection>
{
    private readonly TlsServerValidation? _tlsClient;
    private readonly ConcurrentDictionary<IPEndPoint, long> _refusedUntil = new();
    private readonly Func<byte[], int, IPEndPoint, bool> _udpFallback;

    /// <param name="bind">Address and port to listen on; null for a TLS transport that only opens connections.</param>
    /// <param name="idleTimeout">Flows idle this long are closed.</param>
    /// <param name="udpFallback">Sends a message over UDP: used when a peer refuses TCP.</param>
    /// <param name="logger">Log.</param>
    /// <param name="tls">With TLS (RFC 3261 section 26.2): every accepted flow starts with a server handshake.</param>
    /// <param name="tlsClient">With TLS: flows this transport opens start with a client handshake, the server's
    /// certificate checked by it; without, no TLS connection is opened. Such flows never fall back to UDP.</param>
    /// <remarks>With <paramref name="bind"/> null nothing listens: a TLS transport that only opens connections.</remarks>
    public TcpSipTransport(IPEndPoint? bind, TimeSpan idleTimeout, Func<byte[], int, IPEndPoint, bool> udpFallback, ILogger logger,
        SslServerAuthenticationOptions? tls = null, TlsServerValidation? tlsClient = null)
        : base(bind, idleTimeout, logger, tls)
    {
        _udpFallback = udpFallback;
        _tlsClient = tlsClient;
    }

    /// <summary>Told the peer when a TLS flow this transport opened could not be set up (connect, handshake, certificate).</summary>
    public Action<IPEndPoint>? FlowFailed { get; set; }

    private bool IsTls => Tls is not null || _tlsClient is not null;

    /// <summary>
    /// True when <paramref name="peer"/> refused a TCP connection recently: many UAs (SIPp among them) listen on UDP
    /// only, although RFC 3261 section 18 asks every element for both.
    /// </summary>
    public bool RecentlyRefused(IPEndPoint peer) =>
        _refusedUntil.TryGetValue(peer, out long until) && Environment.TickCount64 < until;

    /// <summary>True when a flow to <paramref name="peer"/> is open.</summary>
    public bool HasFlow(IPEndPoint peer) => Flows.TryGetValue(peer, out var flow) && !flow.IsClosed;

    /// <summary>
    /// Queues a message on the flow to <paramref name="peer"/>, opening one when there is none (over TLS: to a server
    /// that must prove <paramref name="serverName"/>, or the peer's address when null).
    /// </summary>
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint peer, string? serverName = null)
    {
        if (Flows.TryGetValue(peer, out var flow) && !flow.IsClosed) return flow.Enqueue(message);
        if (Tls is not null && _tlsClient is null)
        {
            Logger.LogDebug("No TLS flow to {Peer}: this hop does not open TLS connections", peer);
            return false;
        }
        var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var opened = new TcpConnection(socket, peer, Logger, IsTls ? SipProtocol.Tls : SipProtocol.Tcp);
        if (!Flows.TryAdd(peer, opened))
        {
            socket.Dispose();
            return Flows.TryGetValue(peer, out flow) && flow.Enqueue(message);
        }
        opened.Enqueue(message); // written once connected
        _ = ConnectAndRunAsync(socket, opened, serverName ?? peer.Address.ToString());
        return true;
    }

    private async Task ConnectAndRunAsync(Socket socket, TcpConnection flow, string serverName)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping.Token);
            timeout.CancelAfter(_tlsClient?.HandshakeTimeout ?? TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(flow.Remote, timeout.Token);
        }
        catch (Exception ex) when ((ex is SocketException or OperationCanceledException) && IsTls)
        {
            // TLS was required (sips:): never a plaintext fallback. The waiting branches fail instead.
            Logger.LogInformation("TLS connect to {Remote} failed: {Reason}", flow.Remote, ex.Message);
            await FailFlowAsync(flow);
            return;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The peer takes no TCP: what was queued goes over UDP after all, with the Via saying so, and the
            // peer is not asked again for a while.
            Logger.LogDebug("TCP connect to {Remote} failed ({Reason}): falling back to UDP", flow.Remote, ex.Message);
            _refusedUntil[flow.Remote] = Environment.TickCount64 + (long)RefusalMemory.TotalMilliseconds;
            Forget(flow);
            foreach (var (message, length) in flow.TakeQueued())
            {
                if (!Stopping.IsCancellationRequested)
                {
                    ViaTransportPatch.ToUdp(message.AsSpan(0, length));
                    _udpFallback(message, length, flow.Remote);
                }
                System.Buffers.ArrayPool<byte>.Shared.Return(message);
            }
            await flow.DisposeAsync();
            return;
        }
        await flow.RunAsync(OnMessage, Forget, IsTls ? (stream, cancellation) => ClientHandshakeAsync(stream, flow, serverName, cancellation) : null);
    }

    private async Task<Stream> ClientHandshakeAsync(Stream network, TcpConnection flow, string serverName, CancellationToken cancellation)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(_tlsClient!.For(serverName), cancellation);
            return tls;
        }
        catch (Exception ex)
        {
            // A server that is not who the target names (wrong name, untrusted, not pinned), or no TLS at all.
            Logger.LogWarning("TLS handshake with {Remote} as {Name} failed: {Reason}", flow.Remote, serverName, ex.Message);
            await tls.DisposeAsync();
            Forget(flow); // before the branches hear of it, so a retry opens a new flow rather than queue on this one
            FlowFailed?.Invoke(flow.Remote);
            throw;
        }
    }

    /// <summary>A TLS flow that could not be set up: what was queued is dropped and the waiting branches are told.</summary>
    private async Task FailFlowAsync(TcpConnection flow)
    {
        Forget(flow);
        foreach (var (message, _) in flow.TakeQueued()) System.Buffers.ArrayPool<byte>.Shared.Return(message);
        await flow.DisposeAsync();
        if (!Stopping.IsCancellationRequested) FlowFailed?.Invoke(flow.Remote);
    }

    protected override TcpConnection Accepted(Socket socket, IPEndPoint remote) =>
        new(socket, remote, Logger, Tls is null ? SipProtocol.Tcp : SipProtocol.Tls);

    protected override Task RunAsync(TcpConnection flow) => flow.RunAsync(OnMessage, Forget, Tls is null ? null : SecureAsync);

    /// <summary>How long a peer that refused TCP is sent UDP without trying again.</summary>
    private static readonly TimeSpan RefusalMemory = TimeSpan.FromMinutes(5);
}
