using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 section 18): one socket with large buffers, a receive loop that only parses and hands
/// each message on (the consumer spreads the work), and sends checked against the egress policy.
/// </summary>
public sealed class UdpSipTransport : ISipTransport
{
    private const int MaxDatagram = 65_535;
    private readonly Socket _socket;
    private readonly EgressPolicy _egress;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _receiveLoop;

    /// <summary>Binds the socket. Throws <see cref="SocketException"/> when the port is taken.</summary>
    public UdpSipTransport(SipTransportOptions options, EgressPolicy egress, ILogger<UdpSipTransport> logger)
    {
        _egress = egress;
        _logger = logger;
        IPAddress address = IPAddress.Parse(options.ListenAddress);
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = options.ReceiveBufferBytes,
            SendBufferSize = options.SendBufferBytes,
        };
        _socket.Bind(new IPEndPoint(address, options.Port));
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        if (_socket.ReceiveBufferSize < options.ReceiveBufferBytes)
        {
            _logger.LogWarning("SIP receive buffer is {Actual} bytes, below the {Wanted} asked for: raise net.core.rmem_max or datagrams will be dropped under load", _socket.ReceiveBufferSize, options.ReceiveBufferBytes);
        }
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc />
    public void Start(Action<SipMessage, IPEndPoint> onMessage)
    {
        if (_receiveLoop is not null) throw new InvalidOperationException("The transport is already started.");
        // A thread of its own, blocking in recvfrom: no thread-pool hop per datagram.
        _receiveLoop = new Thread(() => ReceiveLoop(onMessage)) { IsBackground = true, Name = $"sip-udp-{LocalEndPoint.Port}" };
        _receiveLoop.Start();
    }

    /// <inheritdoc />
    public bool MaySendTo(IPAddress address) => _egress.Allows(address);

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        if (!_egress.Allows(destination.Address))
        {
            SipMetrics.EgressDenied.Add(1);
            _logger.LogDebug("Not sending to {Destination}: outside Sip:EgressAllowList", destination);
            return false;
        }
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
            SipMetrics.MessagesSent.Add(1);
            return true;
        }
        catch (SocketException ex)
        {
            // UDP send errors are per datagram (e.g. ICMP unreachable reported late); the transaction timers recover.
            _logger.LogDebug(ex, "UDP send to {Destination} failed", destination);
            return false;
        }
    }

    private void ReceiveLoop(Action<SipMessage, IPEndPoint> onMessage)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        var address = new SocketAddress(_socket.AddressFamily);
        var endPointFactory = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    continue; // ICMP port unreachable from an earlier send, or an oversized datagram: not fatal
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException && _stopping.IsCancellationRequested)
                {
                    break; // the socket was closed to stop us
                }
                catch (SocketException ex)
                {
                    // Never let the receive thread die on an odd error: that would silence the service.
                    _logger.LogWarning(ex, "UDP receive failed; receiving goes on");
                    continue;
                }

                SipMetrics.MessagesReceived.Add(1);
                var status = SipParser.TryParse(buffer.AsSpan(0, received), out SipMessage? message, out string reason);
                if (status == SipParseStatus.Ok)
                {
                    onMessage(message!, (IPEndPoint)endPointFactory.Create(address));
                }
                else if (status == SipParseStatus.Malformed)
                {
                    SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed"));
                    _logger.LogDebug("Dropped a malformed datagram ({Reason}) of {Length} bytes", reason, received);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose(); // unblocks the receive loop
        if (_receiveLoop is not null) await Task.Run(_receiveLoop.Join);
        _stopping.Dispose();
    }
}
