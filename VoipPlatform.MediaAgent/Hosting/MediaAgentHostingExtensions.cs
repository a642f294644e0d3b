using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using VoipPlatform.MediaAgent.Diagnostics;
using VoipPlatform.MediaAgent.Drain;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.Hosting;

/// <summary>Wires the media agent into a host: options, kernel table handling, RTPEngine supervision, drain, health and metrics.</summary>
public static class MediaAgentHostingExtensions
{
    /// <summary>Name of the health check on <c>/health</c> (and in the Consul check output).</summary>
    public const string HealthCheckName = "rtpengine";

    /// <summary>
    /// What the host's shutdown needs beyond the drain and RTPEngine's stop: removing the firewall rule, releasing the
    /// table and deregistering from Consul.
    /// </summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds the media agent. Call after <c>AddServiceDefaults</c>: hosted services stop in reverse order, so the agent
    /// drains before its Consul registration is removed.
    /// </summary>
    public static IHostApplicationBuilder AddMediaAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MediaAgentOptions>().BindConfiguration(MediaAgentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaAgentOptions>, MediaAgentOptionsValidator>();
        // The host abandons stopping services at its shutdown timeout (30 s by default): it must outlast the drain.
        services.AddOptions<HostOptions>().Configure<IOptions<MediaAgentOptions>>((host, agent) =>
        {
            var needed = agent.Value.Drain.GracePeriod + agent.Value.RtpEngine.StopTimeout + ShutdownMargin;
            if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        // One ng client for the agent's life, one try per request: the next ping or poll is the retry.
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<MediaAgentOptions>>().Value;
            return new NgClient(IPEndPoint.Parse(settings.NgEndpoint), new NgClientOptions { Timeout = settings.PingTimeout, Tries = 1 });
        });

        services.AddSingleton<IKernelControlFile>(sp =>
            new KernelControlFile(sp.GetRequiredService<IOptions<MediaAgentOptions>>().Value.Kernel.ControlFile));
        services.AddSingleton<KernelModuleDetector>();
        services.AddSingleton<KernelTableAllocator>();
        services.AddSingleton<ICommandRunner, ProcessCommandRunner>();
        services.AddSingleton<IForwardingRule, XtablesForwardingRule>();
        services.AddSingleton<IForwardingRule, NftablesForwardingRule>();
        services.AddSingleton<ForwardingSetup>();

        services.AddSingleton<MediaAgentMetrics>();
        services.AddSingleton<RtpEngineSupervisor>();
        services.AddSingleton<RtpEngineHealth>();
        services.AddSingleton<SessionDrain>();
        services.AddSingleton<MediaAgentService>();

        // Start in this order, stop in reverse: the statistics poller outlives the drain (the sessions metric shows it
        // going down), the pinger stops before it (no "does not answer" warning for an RTPEngine stopped on purpose).
        services.AddHostedService<RtpEngineStatisticsPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaAgentService>());
        services.AddHostedService<RtpEnginePingService>();

        services.AddHealthChecks().AddCheck<RtpEngineHealthCheck>(HealthCheckName);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MediaAgentMetrics.MeterName));
        return builder;
    }
}
