using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118), plain (WS) or over TLS (WSS): a listener and one <see cref="WebSocketConnection"/>
/// per browser. Flows are keyed by the peer's address and port like the TCP ones, so responses go back on the
/// connection a request came on. This hop opens no WebSocket itself: a browser is reachable only over the connection
/// it opened (its Contact host is a made-up <c>.invalid</c> name), which is what flow tokens name.
/// </summary>
internal sealed class WebSocketSipTransport : StreamListener<WebSocketConnection>
{
    private readonly TimeSpan _keepAlive;

    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="idleTimeout">Flows idle this long are closed.</param>
    /// <param name="keepAlive">Interval of WebSocket pings (zero: none).</param>
    /// <param name="logger">Log.</param>
    /// <param name="tls">For WSS: every connection starts with a TLS server handshake.</param>
    public WebSocketSipTransport(IPEndPoint bind, TimeSpan idleTimeout, TimeSpan keepAlive, ILogger logger, SslServerAuthenticationOptions? tls = null)
        : base(bind, idleTimeout, logger, tls)
    {
        _keepAlive = keepAlive;
    }

    /// <summary><see cref="SipProtocol.Wss"/> with TLS, else <see cref="SipProtocol.Ws"/>.</summary>
    public SipProtocol Protocol => Tls is null ? SipProtocol.Ws : SipProtocol.Wss;

    /// <summary>True when an upgraded connection from <paramref name="peer"/> is open.</summary>
    public bool HasFlow(IPEndPoint peer) => Flows.TryGetValue(peer, out var flow) && flow.IsOpen;

    /// <summary>The id of the open connection from <paramref name="peer"/>, if there is one.</summary>
    public bool TryGetFlow(IPEndPoint peer, out long id)
    {
        id = Flows.TryGetValue(peer, out var flow) && flow.IsOpen ? flow.Id : 0;
        return id != 0;
    }

    /// <summary>Queues a message on the connection from <paramref name="peer"/>; false when there is none.</summary>
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint peer) => Flows.TryGetValue(peer, out var flow) && flow.Enqueue(message);

    protected override WebSocketConnection Accepted(Socket socket, IPEndPoint remote) => new(socket, remote, Protocol, Logger);

    protected override Task RunAsync(WebSocketConnection flow) =>
        flow.RunAsync(OnMessage, Forget, _keepAlive, Tls is null ? null : SecureAsync);
}
