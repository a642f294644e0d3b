using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.RtpEngine;

public static class RtpEngineSupervisionExtensions
{
    private const string HealthCheckName = "rtpengine";

    /// <summary>Options, the ng pinger and the health check that reports its result on <c>/health</c>.</summary>
    public static IHostApplicationBuilder AddRtpEngineSupervision(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaAgentOptions>()
            .BindConfiguration(MediaAgentOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => IPEndPoint.TryParse(o.NgEndpoint, out var ep) && ep.Port != 0,
                $"{MediaAgentOptions.SectionName}:{nameof(MediaAgentOptions.NgEndpoint)} must be an IP:port")
            .Validate(o => o.PingTimeout < o.PingInterval,
                $"{MediaAgentOptions.SectionName}:{nameof(MediaAgentOptions.PingTimeout)} must be shorter than the interval")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        // One ng client for the agent's life: a single try per ping, as the next ping is the retry.
        builder.Services.AddSingleton(sp =>
        {
            MediaAgentOptions settings = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MediaAgentOptions>>().Value;
            return new NgClient(IPEndPoint.Parse(settings.NgEndpoint), new NgClientOptions { Timeout = settings.PingTimeout, Tries = 1 });
        });
        builder.Services.AddSingleton<RtpEngineHealth>();
        builder.Services.AddHostedService<RtpEnginePingService>();
        builder.Services.AddHealthChecks().AddCheck<RtpEngineHealthCheck>(HealthCheckName);
        return builder;
    }
}
