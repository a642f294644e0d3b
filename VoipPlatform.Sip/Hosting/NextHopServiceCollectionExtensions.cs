using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Sip.Hosting;

/// <summary>Registers next-hop discovery in a host.</summary>
public static class NextHopServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="NextHopRegistry"/> that services create their next-hop sets from, with
    /// <see cref="NextHopOptions"/> (<c>Sip:NextHops</c>), <see cref="ServerLocatorOptions"/> (<c>Sip:Dns</c>) and the
    /// OPTIONS prober (runs when <c>Sip:NextHops:Probe:Enabled</c>). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddNextHops(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(NextHopRegistry))) return services;
        services.AddOptions<NextHopOptions>()
            .Bind(configuration.GetSection(NextHopOptions.SectionName))
            .Validate(o => o.FailedTargetHoldDown >= TimeSpan.Zero, "Sip:NextHops:FailedTargetHoldDown must not be negative.")
            .Validate(o => o.Probe.Interval > TimeSpan.Zero && o.Probe.Timeout > TimeSpan.Zero && o.Probe.FailuresBeforeDown > 0,
                "Sip:NextHops:Probe needs a positive Interval, Timeout and FailuresBeforeDown.")
            .ValidateOnStart();
        services.AddOptions<ServerLocatorOptions>()
            .Bind(configuration.GetSection(ServerLocatorOptions.SectionName))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.NegativeCacheTime >= TimeSpan.Zero, "Sip:Dns needs a positive Timeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NextHopRegistry>();
        services.AddHostedService<NextHopProber>();
        return services;
    }
}
