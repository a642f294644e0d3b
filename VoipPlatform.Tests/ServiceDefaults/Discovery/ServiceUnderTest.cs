using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.Tests.ServiceDefaults.Discovery;

/// <summary>
/// A real host built the way every VoipPlatform service builds it (<c>AddServiceDefaults</c> first), with a health
/// check the test switches, and after the defaults a hosted service standing for the SIP core (added later in each
/// Program.cs) that calls back when it is asked to stop, i.e. when it would drain its calls.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string ApplicationName = "VoipPlatform.ConsulTest";

    /// <summary>What the service registers as when no name is configured: the application name as a DNS label.</summary>
    public const string DefaultServiceName = "voipplatform-consultest";

    /// <summary>Name of the switchable health check; it appears in the check output when it fails.</summary>
    public const string SwitchCheck = "switch";

    private readonly IHost _host;
    private volatile bool _healthy = true;

    private ServiceUnderTest(IReadOnlyDictionary<string, string?> settings, Action? sipCoreStopping)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings, environment variables or command line: only what the test sets.
            DisableDefaults = true,
            ApplicationName = ApplicationName,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(Logs);

        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck(SwitchCheck,
            () => _healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off by the test"));
        builder.Services.AddHostedService(_ => new SipCoreStandIn(sipCoreStopping));
        _host = builder.Build();
    }

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>What the switchable health check reports.</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <summary>The ID the service registers under by default: name, machine and port.</summary>
    public static string DefaultServiceId(int port) => $"{DefaultServiceName}-{Environment.MachineName.ToLowerInvariant()}-{port}";

    /// <param name="sipCoreStopping">Called from the stand-in SIP core's <c>StopAsync</c>.</param>
    public static ServiceUnderTest Create(IReadOnlyDictionary<string, string?> settings, Action? sipCoreStopping = null) =>
        new(settings, sipCoreStopping);

    public Task StartAsync() => _host.StartAsync();

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncHost) await asyncHost.DisposeAsync();
        else _host.Dispose();
    }

    private sealed class SipCoreStandIn(Action? stopping) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            stopping?.Invoke();
            return Task.CompletedTask;
        }
    }
}
