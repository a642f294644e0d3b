using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>
/// Routers from <c>Proxy:Routers</c>, else from the endpoints Aspire injects for every resource named <c>router*</c>.
/// New requests go round robin; each plan then tries the others in turn. Plans are built once: no allocation per call.
/// </summary>
public sealed class StaticRouterSet : IRouterSet
{
    private const string RouterServicePrefix = "router";
    private readonly IPEndPoint[] _routers;
    private readonly ForkPlan[] _plans;
    private uint _next;

    /// <summary>Reads the router list; fails start-up when there is none, rather than failing every call.</summary>
    public StaticRouterSet(IOptions<EdgeRoutingOptions> options, IConfiguration configuration)
    {
        string[] entries = options.Value.Routers.Length > 0 ? options.Value.Routers : AspireRouterEndpoints(configuration);
        if (entries.Length == 0)
        {
            throw new InvalidOperationException("No router configured: set Proxy:Routers (host:port), Proxy:RouterService (DNS SRV), or reference the router's sip endpoint from the AppHost.");
        }
        _routers = entries.Select(NextHopParser.Parse).ToArray();
        _plans = Enumerable.Range(0, _routers.Length)
            .Select(start => RouterFailover.Plan(Enumerable.Range(0, _routers.Length).Select(i => _routers[(start + i) % _routers.Length]), options.Value.RouterAnswerTimeout))
            .ToArray();
    }

    /// <inheritdoc />
    public ValueTask<RoutingDecision> NextAsync()
    {
        uint index = Interlocked.Increment(ref _next) % (uint)_routers.Length;
        return _routers.Length == 1 ? RoutingDecision.Forward(_routers[0]) : RoutingDecision.Fork(_plans[index]);
    }

    /// <inheritdoc />
    public bool Contains(IPEndPoint sentBy, IPAddress source) =>
        _routers.Any(router => router.Equals(sentBy) && router.Address.Equals(source));

    /// <summary>The <c>sip</c> endpoints Aspire injects for every resource named <c>router*</c> (one per replica).</summary>
    private static string[] AspireRouterEndpoints(IConfiguration configuration) =>
        configuration.GetSection("services").GetChildren()
            .Where(service => service.Key.StartsWith(RouterServicePrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(service => service.Key, StringComparer.Ordinal)
            .SelectMany(service => service.GetSection("sip").GetChildren())
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
}
