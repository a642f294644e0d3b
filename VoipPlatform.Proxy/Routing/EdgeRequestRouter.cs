using System.Net;
using VoipPlatform.Proxy.Media;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>
/// The edge proxy's one decision: requests inside a dialog follow their Route set (built from the Record-Route of the
/// proxy and router); everything else goes to the routing layer, which owns all business logic. The edge never
/// relays to a Request-URI itself, so it cannot be used as an open relay, and an in-dialog request from a UA that
/// ignored Record-Route still reaches the router that holds the other side of the call.
/// </summary>
/// <remarks>With media bridging on (<c>Proxy:Media:Enabled</c>), requests entering from outside have their SDP bridged
/// through RTPEngine on the way (<see cref="MediaBridge"/>). A Contact that names a host rather than an address is
/// located by RFC 3263 through <c>servers</c> (registered by <c>AddNextHops</c>); without it such a Contact
/// gets 404.</remarks>
public sealed class EdgeRequestRouter(RouterSet routers, MediaBridge? media = null, SipServerResolver? servers = null) : ISipRequestRouter
{
    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
    {
        // Without media bridging only requests routed to this hop need to know whether a router sent them: the
        // check parses the top Via, which every other request can skip.
        if (media is null) return Route(request, context, context.RoutedToSelf && CameFromRouter(request, context.Source));
        bool fromRouter = CameFromRouter(request, context.Source);
        ValueTask<RoutingDecision> decision = Route(request, context, fromRouter);
        return fromRouter ? media.FromRouterAsync(request, decision) : media.FromOutsideAsync(request, context, decision);
    }

    private ValueTask<RoutingDecision> Route(SipMessage request, RoutingContext context, bool fromRouter)
    {
        if (context.IsInDialog && context.RouteNextHop is { } next) return RoutingDecision.Forward(next);

        // A router sent this here through our Path or Record-Route entry (a call to a registered user): it goes
        // out to the Request-URI, the user's Contact. Only a router may ask that, or the edge would be an open relay.
        if (context.RoutedToSelf && fromRouter)
        {
            return servers is null ? RoutingDecision.ByRouteOrRequestUri(request, context) : RoutingDecision.ByRouteOrRequestUri(request, context, servers);
        }

        // Spread new transactions over the routers; any router can serve any call (they are stateless), so when one
        // is down or overloaded the next one gets the request.
        return routers.NextAsync(request.CallId);
    }

    /// <summary>
    /// A router's request comes from a router's address, with that router's SIP endpoint in its top Via. The source
    /// port alone would not do: over TCP it is an ephemeral one.
    /// </summary>
    private bool CameFromRouter(SipMessage request, IPEndPoint source)
    {
        ViaValue via = request.TopVia;
        return via.IsValid && SipTargets.TryResolve(via.Host, via.Port, out IPEndPoint? sentBy) && routers.Contains(sentBy!, source.Address);
    }
}
