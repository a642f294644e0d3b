using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>
/// The routers the edge sends new requests to, through the next-hop set: from DNS SRV (<c>Proxy:RouterService</c>),
/// else <c>Proxy:Routers</c>, else the endpoints Aspire injects for every resource named <c>router*</c>. Each new
/// request gets a fail-over plan: the router its Call-ID hashes to (by priority and weight) first, then the others; a router that
/// stays silent past the answer timeout or answers 503 is held down, so the next calls go straight elsewhere.
/// </summary>
public sealed class RouterSet
{
    /// <summary>A router that answers nothing (within the answer timeout) or 503 leaves the call to the next one.</summary>
    internal static readonly int[] FailoverStatuses = [SipStatus.RequestTimeout, SipStatus.ServiceUnavailable];

    private const string AspireRouterPrefix = "router";
    private const string SipEndpointName = "sip";
    private readonly NextHopSet _routers;
    private readonly TimeSpan _answerTimeout;

    /// <summary>Creates the set from configuration; fails start-up when no source gives any router.</summary>
    public RouterSet(NextHopRegistry registry, IOptions<EdgeRoutingOptions> options)
    {
        EdgeRoutingOptions o = options.Value;
        _routers = registry.Create(AspireRouterPrefix, o.RouterService, o.Routers, AspireRouterPrefix, SipEndpointName);
        _answerTimeout = o.RouterAnswerTimeout;
        if (string.IsNullOrWhiteSpace(o.RouterService) && _routers.Known.Count == 0)
        {
            throw new InvalidOperationException("No router configured: set Proxy:Routers (host:port), Proxy:RouterService (DNS SRV), or reference the router's sip endpoint from the AppHost.");
        }
        // One fixed router: nothing to choose or fail over to, so no work per call.
        if (string.IsNullOrWhiteSpace(o.RouterService) && _routers.Known.Count == 1) _only = RoutingDecision.Forward(_routers.Known[0].EndPoint);
    }

    private readonly RoutingDecision? _only;

    /// <summary>
    /// Where a new request goes: one router, or the routers in the order to try them. The order is keyed by the
    /// Call-ID, so a challenged INVITE and its authenticated retry meet the same router while calls spread by weight.
    /// </summary>
    public ValueTask<RoutingDecision> NextAsync(ReadOnlySpan<byte> callId)
    {
        if (_only is { } only) return only;
        ValueTask<NextHopTarget[]> order = _routers.OrderAsync(TargetSelector.KeyHash(callId));
        return order.IsCompletedSuccessfully ? new(Plan(order.Result)) : PlanAsync(order);
    }

    /// <summary>True when a request whose top Via names <paramref name="sentBy"/> and that came from <paramref name="source"/> is a router's.</summary>
    public bool Contains(IPEndPoint sentBy, IPAddress source) => _routers.Contains(sentBy) && sentBy.Address.Equals(source);

    private async ValueTask<RoutingDecision> PlanAsync(ValueTask<NextHopTarget[]> order) => Plan(await order);

    private RoutingDecision Plan(NextHopTarget[] order)
    {
        switch (order.Length)
        {
            case 0:
                return RoutingDecision.Reject(SipStatus.ServiceUnavailable, "No router available");
            case 1:
                return RoutingDecision.Forward(order[0].EndPoint); // nowhere to fail over to: no plan to build
        }
        var steps = new ForkStep[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            NextHopTarget router = order[i];
            var branch = new ForkBranch(router.EndPoint, onFailure: status =>
            {
                if (FailoverStatuses.Contains(status)) _routers.MarkFailed(router);
            });
            steps[i] = new ForkStep([branch], TimeSpan.Zero, FailoverStatuses, AnswerTimeout: _answerTimeout);
        }
        return RoutingDecision.Fork(new ForkPlan(steps));
    }
}
