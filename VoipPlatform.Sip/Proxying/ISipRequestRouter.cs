using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// The one decision a service adds to the proxy core: where a request goes next. The core does everything
/// RFC 3261 section 16 requires around it (transactions, Via, Max-Forwards, Route/Record-Route, CANCEL, ACK).
/// </summary>
public interface ISipRequestRouter
{
    /// <summary>Decides the next hop of a request. Called on the request's worker; must not block.</summary>
    RoutingDecision Route(SipMessage request, in RoutingContext context);
}
