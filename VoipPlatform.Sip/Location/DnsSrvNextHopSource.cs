namespace VoipPlatform.Sip.Location;

/// <summary>Servers of a service found by DNS SRV (e.g. <c>_router._udp.service.consul</c>), cached per TTL.</summary>
/// <param name="locator">The DNS client and its answer cache.</param>
/// <param name="service">The SRV name.</param>
public sealed class DnsSrvNextHopSource(ServerLocator locator, string service) : INextHopSource
{
    /// <inheritdoc />
    public string Description => $"DNS SRV {service}";

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NextHopTarget>> GetTargetsAsync(CancellationToken cancellationToken = default) =>
        locator.ResolveAsync(service, cancellationToken);
}
