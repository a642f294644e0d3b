using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Sip.Hosting;

/// <summary>Registers next-hop discovery in a host.</summary>
public static class NextHopServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="NextHopRegistry"/> that services create their next-hop sets from, with
    /// <see cref="NextHopOptions"/> (<c>Sip:NextHops</c>), <see cref="ServerLocatorOptions"/> (<c>Sip:Dns</c>) and the
    /// OPTIONS prober (runs when <c>Sip:NextHops:Probe:Enabled</c>), and the <see cref="SipServerResolver"/> that locates
    /// Request-URI, Contact and Route hosts. Safe to call more than once.
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
            .Validate(o => o.Timeout > TimeSpan.Zero && o.NegativeCacheTime >= TimeSpan.Zero && o.AnswerTimeout >= TimeSpan.Zero, "Sip:Dns needs a positive Timeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NextHopRegistry>();
        // Request-URI, Contact and Route hosts (RFC 3263), with their own hold-down state but the shared DNS cache.
        services.AddSingleton(sp => new SipServerResolver(
            sp.GetRequiredService<NextHopRegistry>().Locator,
            new TargetSelector(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NextHopOptions>>().Value.FailedTargetHoldDown),
            sp.GetRequiredService<IOptions<ServerLocatorOptions>>().Value.AnswerTimeout,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SipServerResolver>>()));
        services.AddHostedService<NextHopProber>();
        return services;
    }
}
