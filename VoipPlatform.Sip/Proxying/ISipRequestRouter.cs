using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// The one decision a service adds to the proxy core: where a request goes next. The core does everything
/// RFC 3261 section 16 requires around it (transactions, Via, Max-Forwards, Route/Record-Route, CANCEL, ACK, forking).
/// </summary>
public interface ISipRequestRouter
{
    /// <summary>
    /// Decides what happens to a request. Called on the request's worker: a decision that needs no I/O should
    /// complete synchronously (no allocation, no thread hop). One that needs I/O (a registrar lookup, an HTTP call)
    /// may complete later; the request stays valid until the returned task completes, the worker goes on with other
    /// calls meanwhile, and the decision is applied on the worker afterwards (or dropped when the transaction ended,
    /// e.g. because the caller cancelled). A faulted task answers 500.
    /// </summary>
    ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context);
}
