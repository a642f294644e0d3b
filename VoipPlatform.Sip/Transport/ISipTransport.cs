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
}
