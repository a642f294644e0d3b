using System.Net;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// UDP and TCP on the same address and port (RFC 3261 section 18): messages received on either reach one consumer;
/// a send goes on the TCP flow the peer opened when there is one (responses to a TCP request, requests to a UA
/// registered over TCP), on a new TCP flow for a request over 1300 bytes, and on UDP otherwise. A peer that refuses
/// TCP gets that request over UDP after all (Via rewritten) and UDP for the next five minutes. TLS is accepted on a
/// port of its own (<c>Sip:TlsPort</c>) and opened to targets that ask for it (<c>sips:</c>, <c>transport=tls</c>);
/// WebSocket (WS, WSS) listens on ports of its own and answers only on flows browsers opened.
/// </summary>
public sealed class SipTransport : ISipTransport
{
    private readonly UdpSipTransport _udp;
    private readonly TcpSipTransport _tcp;
    private readonly TcpSipTransport _tls;
    private readonly WebSocketSipTransport? _ws;
    private readonly WebSocketSipTransport? _wss;
    private readonly EgressPolicy _egress;
    private readonly ILogger _logger;

    /// <summary>Binds UDP and TCP. Throws <see cref="System.Net.Sockets.SocketException"/> when the port is taken.</summary>
    public SipTransport(SipTransportOptions options, EgressPolicy egress, ILoggerFactory loggers)
    {
        _egress = egress;
        _logger = loggers.CreateLogger<SipTransport>();
        // TCP takes the port UDP got, so an ephemeral UDP port (0) works too; should that number be taken for TCP,
        // an ephemeral pair is simply tried again.
        for (int attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(options, egress, loggers.CreateLogger<UdpSipTransport>());
            try
            {
                _tcp = new TcpSipTransport(udp.LocalEndPoint, options.TcpIdleTimeout,
                    (message, length, peer) => udp.Send(message.AsSpan(0, length), peer), _logger);
                _udp = udp;
                break;
            }
            catch (System.Net.Sockets.SocketException) when (options.Port == 0 && attempt < 10)
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
        try
        {
            // TLS connections are opened whenever a target asks for TLS (sips:); they are accepted only on Sip:TlsPort.
            var address = _udp.LocalEndPoint.Address;
            var server = options.TlsPort > 0 || options.SecureWebSocketPort > 0
                ? new System.Net.Security.SslServerAuthenticationOptions { ServerCertificate = LoadCertificate(options), ClientCertificateRequired = false }
                : null;
            _tls = new TcpSipTransport(options.TlsPort > 0 ? new IPEndPoint(address, options.TlsPort) : null, options.TcpIdleTimeout,
                static (_, _, _) => false, _logger, options.TlsPort > 0 ? server : null, new TlsServerValidation(options.TlsClient));
            if (options.WebSocketPort > 0)
            {
                _ws = new WebSocketSipTransport(new IPEndPoint(address, options.WebSocketPort), options.WebSocketIdleTimeout,
                    options.WebSocketKeepAliveInterval, _logger);
            }
            if (options.SecureWebSocketPort > 0)
            {
                _wss = new WebSocketSipTransport(new IPEndPoint(address, options.SecureWebSocketPort), options.WebSocketIdleTimeout,
                    options.WebSocketKeepAliveInterval, _logger, server);
            }
        }
        catch
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult(); // nothing bound may outlive a failed start
            throw;
        }
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _udp.LocalEndPoint;

    /// <summary>Where TLS is accepted, or null without TLS.</summary>
    public IPEndPoint? TlsEndPoint => _tls.LocalEndPoint;

    /// <summary>Where SIP over WebSocket is accepted, or null without it.</summary>
    public IPEndPoint? WebSocketEndPoint => _ws?.LocalEndPoint;

    /// <summary>Where SIP over secure WebSocket is accepted, or null without it.</summary>
    public IPEndPoint? SecureWebSocketEndPoint => _wss?.LocalEndPoint;

    /// <inheritdoc />
    public IPEndPoint? ListenEndPoint(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Udp or SipProtocol.Tcp => LocalEndPoint,
        SipProtocol.Tls => TlsEndPoint,
        SipProtocol.Ws => WebSocketEndPoint,
        _ => SecureWebSocketEndPoint,
    };

    /// <inheritdoc />
    public bool TryGetFlow(IPEndPoint peer, SipProtocol protocol, out long flowId)
    {
        flowId = 0;
        return (protocol == SipProtocol.Ws ? _ws : protocol == SipProtocol.Wss ? _wss : null)?.TryGetFlow(peer, out flowId) == true;
    }

    /// <inheritdoc />
    public void Start(Action<SipMessage, IPEndPoint> onMessage)
    {
        _wss?.Start(onMessage);
        _ws?.Start(onMessage);
        _tls.Start(onMessage);
        _tcp.Start(onMessage);
        _udp.Start(onMessage);
    }

    /// <inheritdoc />
    public bool MaySendTo(IPAddress address) => _egress.Allows(address);

    /// <inheritdoc />
    public SipProtocol ChooseProtocol(IPEndPoint destination, int length, bool isRequest) =>
        _ws?.HasFlow(destination) == true ? SipProtocol.Ws
        : _wss?.HasFlow(destination) == true ? SipProtocol.Wss
        : _tls.HasFlow(destination) ? SipProtocol.Tls
        : _tcp.HasFlow(destination) || (isRequest && length > SipProtocols.MaxUdpRequestBytes && !_tcp.RecentlyRefused(destination)) ? SipProtocol.Tcp
        : SipProtocol.Udp;

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint destination) =>
        Send(message, destination, ChooseProtocol(destination, message.Length, isRequest: !message.StartsWith("SIP/"u8)));

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint destination, SipProtocol protocol) => Send(message, destination, protocol, null);

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> message, IPEndPoint destination, SipProtocol protocol, string? serverName)
    {
        if (protocol == SipProtocol.Udp) return _udp.Send(message, destination);
        if (!_egress.Allows(destination.Address))
        {
            SipMetrics.EgressDenied.Add(1);
            _logger.LogDebug("Not sending to {Destination}: outside Sip:EgressAllowList", destination);
            return false;
        }
        return protocol switch
        {
            SipProtocol.Tls => _tls.Send(message, destination, serverName),
            SipProtocol.Ws => _ws?.Send(message, destination) == true,
            SipProtocol.Wss => _wss?.Send(message, destination) == true,
            _ => _tcp.Send(message, destination),
        };
    }

    /// <inheritdoc />
    public void OnFlowFailed(Action<IPEndPoint, SipProtocol> handler) => _tls.FlowFailed = peer => handler(peer, SipProtocol.Tls);

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(SipTransportOptions options)
    {
        if (string.IsNullOrEmpty(options.TlsCertificatePath) || !File.Exists(options.TlsCertificatePath))
        {
            throw new InvalidOperationException($"Sip:TlsPort or Sip:SecureWebSocketPort is set but Sip:TlsCertificatePath ('{options.TlsCertificatePath}') names no file: give a PKCS#12 certificate with its key.");
        }
        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(options.TlsCertificatePath, options.TlsCertificatePassword);
        if (!certificate.HasPrivateKey) throw new InvalidOperationException("Sip:TlsCertificatePath holds no private key.");
        return certificate;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_wss is not null) await _wss.DisposeAsync();
        if (_ws is not null) await _ws.DisposeAsync();
        if (_tls is not null) await _tls.DisposeAsync(); // null only when the constructor failed before it
        if (_tcp is not null) await _tcp.DisposeAsync();
        if (_udp is not null) await _udp.DisposeAsync();
    }
}
