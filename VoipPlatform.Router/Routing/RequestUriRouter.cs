using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Routing;

/// <summary>
/// First-cut routing layer: every request goes where its Route set or Request-URI points. The registrar and the
/// business-logic API replace this for out-of-dialog requests; until then the egress allow-list is what keeps the
/// router from relaying anywhere.
/// </summary>
public sealed class RequestUriRouter : ISipRequestRouter
{
    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
    {
        if (context.RouteNextHop is { } next) return RoutingDecision.Forward(next);
        return SipTargets.TryResolveUri(request[request.RequestUri], out IPEndPoint? target)
            ? RoutingDecision.Forward(target!)
            : RoutingDecision.Reject(SipStatus.NotFound, "Unresolvable Request-URI");
    }
}
