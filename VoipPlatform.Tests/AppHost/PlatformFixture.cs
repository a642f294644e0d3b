using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Every test that needs the running platform joins this collection. SIP, Redis and the ng port
/// are fixed, non-proxied ports, so exactly one AppHost may run per test process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "Platform";
}

/// <summary>
/// Starts the AppHost once, without containers (as on CI and on this machine): Redis and
/// RTPEngine run as real local processes, Consul and Asterisk are left out.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    /// <summary>
    /// Where the routers send application branches: Asterisk cannot run here, so tests put a SIPp standing in for
    /// it on this port.
    /// </summary>
    public static readonly int ApplicationServerPort = Infrastructure.FreeSipPort.Next();

    /// <summary>The demo domain the API seeds at start (docs/business-logic-api.md).</summary>
    public const string Domain = "voip.local";

    /// <summary>
    /// Forces the no-container path (skips the docker probe and DCP's wait for a runtime) and points application
    /// branches at <see cref="ApplicationServerPort"/>.
    /// </summary>
    private static readonly string[] AppHostArgs =
    [
        "--VoipPlatform:ContainerRuntime=none",
        "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00",
        $"--VoipPlatform:ApplicationServers:0=127.0.0.1:{ApplicationServerPort}",
    ];

    /// <summary>Resources every platform test can rely on once the fixture is up.</summary>
    // The media agent too: with RTPEngine up, the proxy bridges every call's SDP through it.
    private static readonly string[] RequiredResources = ["redis", "applayer", "mediaagent", "router", "router2", "proxy"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private DistributedApplication? _app;

    public DistributedApplication App =>
        _app ?? throw new InvalidOperationException("The platform has not been started.");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoipPlatform_AppHost>(AppHostArgs, cts.Token);
        _app = await builder.BuildAsync(cts.Token);
        try
        {
            await _app.StartAsync(cts.Token);
            await Task.WhenAll(RequiredResources.Select(name =>
                _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token)));
        }
        catch
        {
            // xunit does not dispose a fixture whose initialisation failed: stop the processes here.
            await _app.DisposeAsync();
            _app = null;
            throw;
        }
    }

    /// <summary>HTTP client for a project's endpoint (randomised proxied port in tests).</summary>
    public HttpClient CreateHttpClient(string resourceName, string endpointName = "http") =>
        App.CreateHttpClient(resourceName, endpointName);

    /// <summary>Where a project's SIP endpoint listens.</summary>
    public System.Net.IPEndPoint SipEndPoint(string resourceName) =>
        new(System.Net.IPAddress.Loopback, App.GetEndpoint(resourceName, "sip").Port);

    /// <summary>Waits, bounded, until <paramref name="resourceName"/> reports healthy.</summary>
    public async Task WaitForHealthyAsync(string resourceName, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cts.Token);
    }

    /// <summary>The environment the AppHost gives a resource, as the process receives it.</summary>
    public async Task<Dictionary<string, string>> GetEnvironmentAsync(string resourceName)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var resource = model.Resources.Single(r => r.Name == resourceName);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    /// <summary>The settings a router replica started by a test shares with the platform's (Redis, API, nonce secret).</summary>
    public async Task<Dictionary<string, string>> RouterEnvironmentAsync(int sipPort)
    {
        Dictionary<string, string> platformRouter = await GetEnvironmentAsync("router");
        var environment = platformRouter
            .Where(v => v.Key.StartsWith("ConnectionStrings__") || v.Key.StartsWith("services__applayer__") || v.Key.StartsWith("Sip__Digest__"))
            .ToDictionary();
        environment["Sip__Port"] = sipPort.ToString();
        return environment;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
