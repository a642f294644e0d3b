using System.Net;
using VoipPlatform.Sip.Messages;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Parsing;
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
    private readonly ForkPlan[] _plans;
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
        var failoverOn = new[] { SipStatus.RequestTimeout, SipStatus.ServiceUnavailable };
        TimeSpan answerTimeout = options.Value.RouterAnswerTimeout;
        // One plan per starting router, built once: each tries the routers in turn from there, moving on when one
        // stays silent or is unavailable. No allocation per call.
        _plans = Enumerable.Range(0, _routers.Length)
            .Select(start => new ForkPlan(Enumerable.Range(0, _routers.Length)
                .Select(i => new ForkStep([new ForkBranch(_routers[(start + i) % _routers.Length])], TimeSpan.Zero, failoverOn,
                    AnswerTimeout: answerTimeout))
                .ToArray()))
            .ToArray();
    }

    /// <summary>The routers in use.</summary>
    public IReadOnlyList<IPEndPoint> Routers => _routers;

    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
    {
        if (context.IsInDialog && context.RouteNextHop is { } next) return RoutingDecision.Forward(next);

        // A router sent this here through our Path or Record-Route entry (a call to a registered user): it goes
        // out to the Request-URI, the user's Contact. Only a router may ask that, or the edge would be an open relay.
        if (context.RoutedToSelf && CameFromRouter(request, context.Source))
        {
            if (context.RouteNextHop is { } onward) return RoutingDecision.Forward(onward);
            return SipTargets.TryResolveUri(request[request.RequestUri], out IPEndPoint? contact)
                ? RoutingDecision.Forward(contact!)
                : RoutingDecision.Reject(SipStatus.NotFound, "Unresolvable Request-URI");
        }

        // Spread new transactions over the routers; any router can serve any call (they are stateless), so when one
        // is down or overloaded the next one gets the request.
        uint index = Interlocked.Increment(ref _next) % (uint)_routers.Length;
        return _routers.Length == 1 ? RoutingDecision.Forward(_routers[0]) : RoutingDecision.Fork(_plans[index]);
    }

    /// <summary>
    /// A router's request comes from a router's address, with that router's SIP endpoint in its top Via. The source
    /// port alone would not do: over TCP it is an ephemeral one.
    /// </summary>
    private bool CameFromRouter(SipMessage request, IPEndPoint source)
    {
        ViaValue via = request.TopVia;
        if (!via.IsValid || !SipTargets.TryResolve(via.Host, via.Port, out IPEndPoint? sentBy)) return false;
        foreach (IPEndPoint router in _routers)
        {
            if (router.Equals(sentBy) && router.Address.Equals(source.Address)) return true;
        }
        return false;
    }

    /// <summary>The <c>sip</c> endpoints Aspire injects for every resource named <c>router*</c> (one per replica).</summary>
    private static string[] AspireRouterEndpoints(IConfiguration configuration) =>
        configuration.GetSection("services").GetChildren()
            .Where(service => service.Key.StartsWith(RouterServicePrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(service => service.Key, StringComparer.Ordinal)
            .SelectMany(service => service.GetSection("sip").GetChildren())
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();

    private const string RouterServicePrefix = "router";
}
