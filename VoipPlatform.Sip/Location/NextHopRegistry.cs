using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Creates the <see cref="NextHopSet"/>s of a service and keeps them for the health prober. A set's servers come from
/// DNS SRV when an SRV name is configured, else from configured addresses, else from the endpoints Aspire injects
/// for the referenced resources (<c>services:{name}:{endpoint}:N</c>), as on a machine without Consul.
/// </summary>
public sealed class NextHopRegistry(
    IConfiguration configuration,
    IOptions<NextHopOptions> options,
    IOptions<ServerLocatorOptions> dnsOptions,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private const string AspireServicesSection = "services";
    private readonly List<NextHopSet> _sets = [];
    private readonly Lazy<ServerLocator> _locator = new(() => new ServerLocator(dnsOptions, time, loggers.CreateLogger<ServerLocator>()));

    /// <summary>The DNS client and answer cache every DNS source shares (created on first use).</summary>
    public ServerLocator Locator => _locator.Value;

    /// <summary>Every set created so far.</summary>
    public IReadOnlyList<NextHopSet> Sets
    {
        get { lock (_sets) return _sets.ToArray(); }
    }

    /// <summary>Creates the set for one service.</summary>
    /// <param name="name">The service (for logs and probes).</param>
    /// <param name="srvName">An SRV name (<c>_router._udp.service.consul</c>); when set, the other sources are unused.</param>
    /// <param name="configured">Configured <c>host:port</c> entries, used when there is no SRV name.</param>
    /// <param name="aspireServicePrefix">Aspire resources whose name starts with this are servers of the service.</param>
    /// <param name="endpointName">The endpoint of those resources to use (<c>sip</c>).</param>
    public NextHopSet Create(string name, string? srvName, IReadOnlyList<string> configured, string aspireServicePrefix, string endpointName)
    {
        INextHopSource source = !string.IsNullOrWhiteSpace(srvName)
            ? new DnsSrvNextHopSource(Locator, srvName)
            : configured.Count > 0
                ? new StaticNextHopSource(configured, "configured addresses")
                : new StaticNextHopSource(AspireEndpoints(aspireServicePrefix, endpointName), $"Aspire endpoints of {aspireServicePrefix}*");
        var set = new NextHopSet(name, source, new TargetSelector(time, options.Value.FailedTargetHoldDown), loggers.CreateLogger<NextHopSet>());
        loggers.CreateLogger<NextHopRegistry>().LogInformation("Next hops of {Service} from {Source}", name, source.Description);
        lock (_sets) _sets.Add(set);
        return set;
    }

    /// <summary>The endpoints Aspire injects for every resource named <c>{prefix}*</c> (one per replica), in name order.</summary>
    private string[] AspireEndpoints(string prefix, string endpointName) =>
        configuration.GetSection(AspireServicesSection).GetChildren()
            .Where(service => service.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(service => service.Key, StringComparer.Ordinal)
            .SelectMany(service => service.GetSection(endpointName).GetChildren())
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
}
