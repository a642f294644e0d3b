using System.Net;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transport;

/// <summary>Receives parsed messages and sends bytes, subject to the <see cref="EgressPolicy"/>.</summary>
public interface ISipTransport : IAsyncDisposable
{
    /// <summary>The bound local endpoint.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Starts receiving; each parsed message is handed to <paramref name="onMessage"/>, which owns it.</summary>
    void Start(Action<SipMessage, IPEndPoint> onMessage);

    /// <summary>Sends a datagram. Returns false, sending nothing, when the egress policy refuses the destination.</summary>
    bool Send(ReadOnlySpan<byte> datagram, IPEndPoint destination);

    /// <summary>True when the egress policy allows the destination.</summary>
    bool MaySendTo(IPAddress address);

    /// <summary>
    /// The protocol a message to <paramref name="destination"/> will travel on: an open stream flow to it, else UDP,
    /// unless a request is longer than <see cref="SipProtocols.MaxUdpRequestBytes"/> (RFC 3261 section 18.1.1).
    /// </summary>
    SipProtocol ChooseProtocol(IPEndPoint destination, int length, bool isRequest) => SipProtocol.Udp;

    /// <summary>Sends on a given protocol (a request whose Via already names it). Returns false when refused.</summary>
    bool Send(ReadOnlySpan<byte> message, IPEndPoint destination, SipProtocol protocol) => Send(message, destination);

    /// <summary>
    /// Sends over TLS to a server that must prove <paramref name="serverName"/> (SNI and certificate name), opening the
    /// connection when there is none. Returns false when refused.
    /// </summary>
    bool Send(ReadOnlySpan<byte> message, IPEndPoint destination, SipProtocol protocol, string serverName) => Send(message, destination, protocol);

    /// <summary>Tells <paramref name="handler"/> whenever a stream this transport opened could not be set up (connect or TLS handshake).</summary>
    void OnFlowFailed(Action<IPEndPoint, SipProtocol> handler)
    {
    }

    /// <summary>
    /// The id of the open WebSocket flow from <paramref name="peer"/> over <paramref name="protocol"/>: flows a hop
    /// cannot open again, so a flow token names the exact connection (RFC 5626). False when there is none.
    /// </summary>
    bool TryGetFlow(IPEndPoint peer, SipProtocol protocol, out long flowId)
    {
        flowId = 0;
        return false;
    }

    /// <summary>Where this transport accepts <paramref name="protocol"/>, or null when it does not.</summary>
    IPEndPoint? ListenEndPoint(SipProtocol protocol) => protocol is SipProtocol.Udp or SipProtocol.Tcp ? LocalEndPoint : null;
}
