using System.Net;
using VoipPlatform.Sip.Messages;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>
/// The edge proxy's one decision: requests inside a dialog follow their Route set (built from the Record-Route of the
/// proxy and router); everything else goes to the routing layer, which owns all business logic. The edge never
/// relays to a Request-URI itself, so it cannot be used as an open relay, and an in-dialog request from a UA that
/// ignored Record-Route still reaches the router that holds the other side of the call.
/// </summary>
public sealed class EdgeRequestRouter : ISipRequestRouter
{
    private readonly IPEndPoint[] _routers;
    private uint _next;

    /// <summary>Reads the router list; fails start-up when there is none, rather than failing every call.</summary>
    public EdgeRequestRouter(IOptions<EdgeRoutingOptions> options, IConfiguration configuration)
    {
        string[] entries = options.Value.Routers.Length > 0 ? options.Value.Routers : AspireRouterEndpoints(configuration);
        if (entries.Length == 0)
        {
            throw new InvalidOperationException("No router configured: set Proxy:Routers (host:port) or reference the router's sip endpoint from the AppHost.");
        }
        _routers = entries.Select(NextHopParser.Parse).ToArray();
    }

    /// <summary>The routers in use.</summary>
    public IReadOnlyList<IPEndPoint> Routers => _routers;

    /// <inheritdoc />
    public RoutingDecision Route(SipMessage request, in RoutingContext context)
    {
        if (context.IsInDialog && context.RouteNextHop is { } next) return RoutingDecision.Forward(next);

        // Spread new transactions over the routers; any router can serve any call (they are stateless).
        uint index = Interlocked.Increment(ref _next) % (uint)_routers.Length;
        return RoutingDecision.Forward(_routers[index]);
    }

    private static string[] AspireRouterEndpoints(IConfiguration configuration) =>
        configuration.GetSection("services:router:sip").GetChildren()
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
}
