using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>Wires Consul self-registration into a service: options, the agent client and the hosted service.</summary>
internal static partial class ConsulRegistrationExtensions
{
    /// <summary>Where Aspire puts the HTTP endpoint of a resource named <c>consul</c> that the service references.</summary>
    private const string AspireConsulEndpointKey = "services:consul:http:0";

    /// <summary>The SIP services' listening port: the port their DNS SRV answers must carry.</summary>
    private const string SipPortKey = "Sip:Port";

    private static readonly TimeSpan ConsulMinimumDeregisterAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Registers this service with the local Consul agent once it has started, keeps its TTL check in step with the
    /// health checks, and leaves cleanly at shutdown (see <see cref="ConsulRegistrationService"/>). Without an agent
    /// address, logs once that registration is off.
    /// </summary>
    /// <remarks>
    /// Call before the SIP core is added: hosted services stop in reverse registration order, so the SIP core drains
    /// its in-flight calls before this deregisters.
    /// </remarks>
    public static TBuilder AddConsulRegistration<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ConsulRegistrationOptions>()
            .BindConfiguration(ConsulRegistrationOptions.SectionName)
            .PostConfigure<IConfiguration, IHostEnvironment>(ApplyDefaults)
            .Validate(o => !o.IsEnabled || o.Address!.IsAbsoluteUri && (o.Address.Scheme == Uri.UriSchemeHttp || o.Address.Scheme == Uri.UriSchemeHttps),
                $"{ConsulRegistrationOptions.SectionName}:{nameof(ConsulRegistrationOptions.Address)} must be an absolute http(s) URL of the Consul agent.")
            .Validate(o => !o.IsEnabled || o.RetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryDelay,
                $"{ConsulRegistrationOptions.SectionName}: {nameof(ConsulRegistrationOptions.RetryDelay)} must be positive and at most {nameof(ConsulRegistrationOptions.MaxRetryDelay)}.")
            .Validate(o => !o.IsEnabled || DnsLabel().IsMatch(o.Service.Name),
                $"{ServiceSection}:{nameof(ConsulServiceOptions.Name)} must be a DNS label (a-z, 0-9, '-'): it becomes <name>.service.consul.")
            .Validate(o => !o.IsEnabled || !string.IsNullOrWhiteSpace(o.Service.Id) && !string.IsNullOrWhiteSpace(o.Service.Address),
                $"{ServiceSection}: {nameof(ConsulServiceOptions.Id)} and {nameof(ConsulServiceOptions.Address)} must not be empty.")
            .Validate(o => !o.IsEnabled || o.Service.Port is >= 0 and <= ushort.MaxValue,
                $"{ServiceSection}:{nameof(ConsulServiceOptions.Port)} must be 0 (none) to 65535.")
            .Validate(o => !o.IsEnabled || o.Service.Tags.All(t => !string.IsNullOrWhiteSpace(t)),
                $"{ServiceSection}:{nameof(ConsulServiceOptions.Tags)} must not contain empty tags.")
            .Validate(o => !o.IsEnabled || o.Service.Weights.Passing >= 1 && o.Service.Weights.Warning >= 0,
                $"{ServiceSection}:{nameof(ConsulServiceOptions.Weights)}: Passing must be at least 1 and Warning at least 0 (Consul's rule).")
            .Validate(o => !o.IsEnabled || o.Service.CheckTtl > TimeSpan.Zero,
                $"{ServiceSection}:{nameof(ConsulServiceOptions.CheckTtl)} must be positive.")
            .Validate(o => !o.IsEnabled || o.Service.DeregisterCriticalServiceAfter >= ConsulMinimumDeregisterAfter,
                $"{ServiceSection}:{nameof(ConsulServiceOptions.DeregisterCriticalServiceAfter)} must be at least one minute (Consul's minimum).")
            .ValidateOnStart();

        var agentHttp = builder.Services.AddHttpClient(ConsulClient.HttpClientName, (services, http) =>
            http.BaseAddress = services.GetRequiredService<IOptions<ConsulRegistrationOptions>>().Value.Address);
        // The standard handler the service defaults add would retry each PUT for up to half a minute: that hides
        // failures from the registration loop (which retries with its own back-off and logs each failure) and would
        // stall shutdown against a dead agent. Keep its timeouts, drop its retries. Removing the inherited handler is
        // the documented way, still marked experimental.
#pragma warning disable EXTEXP0001
        agentHttp.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        agentHttp.AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
        builder.Services.AddSingleton<ConsulClient>();

        // Registered by AddServiceDefaults, i.e. before the SIP core: it stops after the core has drained.
        builder.Services.AddHostedService<ConsulRegistrationService>();
        return builder;
    }

    private static string ServiceSection => $"{ConsulRegistrationOptions.SectionName}:{nameof(ConsulRegistrationOptions.Service)}";

    /// <summary>Fills in what depends on the environment: agent address, service name, port and ID.</summary>
    private static void ApplyDefaults(ConsulRegistrationOptions options, IConfiguration configuration, IHostEnvironment environment)
    {
        if (options.Address is null || options.Address.OriginalString.Length == 0)
        {
            options.Address = Uri.TryCreate(configuration[AspireConsulEndpointKey], UriKind.Absolute, out var injected) ? injected : null;
        }
        // Relative paths resolve under the base address only when it ends with '/' (an agent behind a path prefix).
        if (options.Address is { IsAbsoluteUri: true } address && !address.AbsolutePath.EndsWith('/'))
        {
            options.Address = new Uri(address.AbsoluteUri + "/");
        }

        var service = options.Service;
        if (string.IsNullOrWhiteSpace(service.Name))
        {
            // "VoipPlatform.Router" -> "voipplatform-router": Consul names should be DNS labels.
            service.Name = NotInDnsLabel().Replace(environment.ApplicationName.ToLowerInvariant(), "-").Trim('-');
        }
        if (service.Port == 0 && int.TryParse(configuration[SipPortKey], NumberStyles.None, CultureInfo.InvariantCulture, out int sipPort))
        {
            service.Port = sipPort;
        }
        if (string.IsNullOrWhiteSpace(service.Id))
        {
            // Unique per agent even with several replicas on one machine: they differ by port.
            service.Id = string.Create(CultureInfo.InvariantCulture,
                $"{service.Name}-{Environment.MachineName.ToLowerInvariant()}-{service.Port}");
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotInDnsLabel();
}
