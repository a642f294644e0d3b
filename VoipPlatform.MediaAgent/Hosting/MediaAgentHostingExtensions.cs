using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using VoipPlatform.MediaAgent.Diagnostics;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.Hosting;

/// <summary>Wires the media agent into a host: options, kernel table handling, RTPEngine supervision, health and metrics.</summary>
public static class MediaAgentHostingExtensions
{
    /// <summary>Name of the health check on <c>/health</c> (and in the Consul check output).</summary>
    public const string HealthCheckName = "rtpengine";

    /// <summary>Adds the media agent. Call after <c>AddServiceDefaults</c>, like every service's own parts.</summary>
    public static IHostApplicationBuilder AddMediaAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MediaAgentOptions>().BindConfiguration(MediaAgentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaAgentOptions>, MediaAgentOptionsValidator>();
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
        services.AddSingleton<MediaAgentService>();

        // Start in this order, stop in reverse: the pinger stops before RTPEngine does (no "does not answer" warning
        // for an RTPEngine stopped on purpose).
        services.AddHostedService<RtpEngineStatisticsPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaAgentService>());
        services.AddHostedService<RtpEnginePingService>();

        services.AddHealthChecks().AddCheck<RtpEngineHealthCheck>(HealthCheckName);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MediaAgentMetrics.MeterName));
        return builder;
    }
}
