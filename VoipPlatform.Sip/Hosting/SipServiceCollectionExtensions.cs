using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Hosting;

/// <summary>Registers the SIP proxy core in a host.</summary>
public static class SipServiceCollectionExtensions
{
    /// <summary>
    /// Adds the transaction-stateful proxy core on UDP with <typeparamref name="TRouter"/> deciding next hops.
    /// Binds <see cref="SipTransportOptions"/> from <c>Sip</c> and <see cref="SipProxyOptions"/> from <c>Sip:Proxy</c>,
    /// and adds a <c>sip</c> health check that is healthy while the core is listening.
    /// </summary>
    public static IServiceCollection AddSipProxy<TRouter>(this IServiceCollection services, IConfiguration configuration)
        where TRouter : class, ISipRequestRouter
    {
        services.AddOptions<SipTransportOptions>()
            .Bind(configuration.GetSection(SipTransportOptions.SectionName))
            .Validate(o => o.Port is >= 0 and <= 65535, "Sip:Port must be a port number (UDP and TCP).")
            .Validate(o => o.TlsPort is >= 0 and <= 65535 && (o.TlsPort == 0 || o.TlsPort != o.Port), "Sip:TlsPort must be a free port number other than Sip:Port, or 0 for no TLS.")
            .Validate(o => OwnPortsDistinct(o), "Sip:WebSocketPort and Sip:SecureWebSocketPort must be port numbers other than Sip:Port, Sip:TlsPort and each other, or 0 for none.")
            .Validate(o => System.Net.IPAddress.TryParse(o.ListenAddress, out _), "Sip:ListenAddress must be an IP address.")
            .ValidateOnStart();
        services.AddOptions<SipProxyOptions>()
            .Bind(configuration.GetSection(SipProxyOptions.SectionName))
            .Validate(o => o.Timers.T1 > TimeSpan.Zero && o.Timers.T2 >= o.Timers.T1, "Sip:Proxy:Timers needs T1 > 0 and T2 >= T1.")
            .Validate(o => o.Timers.TimerJ is null || o.Timers.TimerJ >= TimeSpan.Zero, "Sip:Proxy:Timers:TimerJ must not be negative.")
            .Validate(o => o.OverloadThreshold is > 0 and <= 1, "Sip:Proxy:OverloadThreshold must be in (0, 1].")
            .Validate(o => o.QueueCapacity > 0 && o.MaxTransactionsPerWorker > 0, "Sip:Proxy:QueueCapacity and MaxTransactionsPerWorker must be positive.")
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero && o.DialogTimeout > TimeSpan.Zero, "Sip:Proxy:DrainTimeout must not be negative and DialogTimeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<FloodProtectionOptions>()
            .Bind(configuration.GetSection(FloodProtectionOptions.SectionName))
            .Validate(o => o.RequestsPerSecond >= 0 && o.BurstSeconds > 0, "Sip:Flood needs RequestsPerSecond >= 0 and BurstSeconds > 0.")
            .ValidateOnStart();
        // The host must give the drain its time before it cancels the stop (its default is 30 s).
        services.AddOptions<HostOptions>().Configure<IOptions<SipProxyOptions>>((host, sip) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (sip.Value.DrainTimeout + DrainShutdownMargin).Ticks)));
        services.AddSingleton<ISipRequestRouter, TRouter>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SipProxyHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipProxyHostedService>());
        services.AddHealthChecks().AddCheck<SipListeningHealthCheck>("sip");
        return services;
    }

    private static bool OwnPortsDistinct(SipTransportOptions o)
    {
        int[] extra = [o.WebSocketPort, o.SecureWebSocketPort];
        if (extra.Any(port => port is < 0 or > 65535)) return false;
        int[] used = [o.Port, o.TlsPort, o.WebSocketPort, o.SecureWebSocketPort];
        return extra.Where(port => port > 0).All(port => used.Count(p => p == port) == 1);
    }

    /// <summary>Time the host gets beyond the drain to close sockets and flush telemetry.</summary>
    private static readonly TimeSpan DrainShutdownMargin = TimeSpan.FromSeconds(10);

    private sealed class SipListeningHealthCheck(SipProxyHostedService host) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(host.Core switch
            {
                null => HealthCheckResult.Unhealthy("SIP transport not started"),
                // Not ready for new calls: readiness probes and the Consul check take this replica out meanwhile.
                { IsDraining: true } core => HealthCheckResult.Unhealthy($"draining: {core.ActiveDialogs} calls left"),
                { } core => HealthCheckResult.Healthy($"listening on udp/{core.LocalEndPoint}"),
            });
    }
}
