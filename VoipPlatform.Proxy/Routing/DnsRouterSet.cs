using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>
/// Routers found by DNS SRV (RFC 3263 section 4.2, RFC 2782) under <c>Proxy:RouterService</c>, e.g.
/// <c>_sip._udp.router.service.consul</c> against Consul's DNS: answers are cached for their TTL, routers are tried
/// in priority then weight order as fail-over steps, and one that stays silent or answers 503 is held down for a
/// while. Adding a router is registering it; no address list is edited.
/// </summary>
public sealed class DnsRouterSet(ServerLocator locator, IOptions<EdgeRoutingOptions> options, ILogger<DnsRouterSet> logger) : IRouterSet
{
    private readonly string _service = options.Value.RouterService
        ?? throw new InvalidOperationException("Proxy:RouterService is required for DNS router discovery.");
    private ImmutableHashSet<IPEndPoint> _known = [];

    /// <inheritdoc />
    public async ValueTask<RoutingDecision> NextAsync()
    {
        IReadOnlyList<SrvTarget> targets;
        try
        {
            targets = await locator.ResolveAsync(_service);
        }
        catch (Exception ex) when (ex is DnsClient.DnsResponseException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            logger.LogWarning("Router lookup {Service} failed: {Reason}", _service, ex.Message);
            return RoutingDecision.Reject(SipStatus.ServiceUnavailable, "No router reachable");
        }
        _known = targets.Select(t => t.EndPoint).ToImmutableHashSet();
        // The order to try them: each next one chosen like the first (priority, then weight) among those left, so
        // fail-over spreads by weight too. Held-down targets come last rather than not at all.
        var order = new List<SrvTarget>(targets.Count);
        var left = targets.ToList();
        while (left.Count > 0)
        {
            SrvTarget next = locator.Select(left) ?? left.OrderBy(t => t.Priority).First();
            order.Add(next);
            left.Remove(next);
        }
        if (order.Count == 0) return RoutingDecision.Reject(SipStatus.ServiceUnavailable, "No router available");
        var branches = order.Select(target => new ForkBranch(target.EndPoint, onFailure: status =>
        {
            // Silence or 503: keep new calls away from it for the hold-down (Sip:Dns:FailedTargetHoldDown).
            if (RouterFailover.Statuses.Contains(status)) locator.MarkFailed(target);
        }));
        return RoutingDecision.Fork(RouterFailover.Plan(branches, options.Value.RouterAnswerTimeout));
    }

    /// <inheritdoc />
    public bool Contains(IPEndPoint sentBy, IPAddress source) => _known.Contains(sentBy) && sentBy.Address.Equals(source);
}
