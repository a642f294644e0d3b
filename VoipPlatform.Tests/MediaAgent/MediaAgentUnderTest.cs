using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoipPlatform.MediaAgent.Hosting;
using VoipPlatform.MediaAgent.RtpEngine;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Tests.Infrastructure;
using VoipPlatform.Tests.ServiceDefaults.Discovery;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>
/// The media agent as its Program.cs builds it (<c>AddMediaAgent</c>), in a host of the test's own, launching the real
/// Debian <c>rtpengine</c> on loopback: its own ng port and RTP port block, fast pings and restarts, deleted sessions
/// gone at once (<c>--delete-delay=0</c>), and a kernel control file path that does not exist (userspace) unless the
/// test says otherwise.
/// </summary>
public sealed class MediaAgentUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IHost _host;
    private readonly string _directory = Directory.CreateTempSubdirectory("media-agent-test-").FullName;
    private bool _stopped;

    private MediaAgentUnderTest(Action<Dictionary<string, string?>>? configure, Action<IServiceCollection>? services)
    {
        int ngPort = FreeSipPort.Next();
        NgEndPoint = new IPEndPoint(IPAddress.Loopback, ngPort);
        int portMin = 40000 + Random.Shared.Next(0, 200) * 100;
        Ports = (portMin, portMin + 99);
        var settings = new Dictionary<string, string?>
        {
            ["MediaAgent:NgEndpoint"] = NgEndPoint.ToString(),
            ["MediaAgent:PingInterval"] = "00:00:00.200",
            ["MediaAgent:PingTimeout"] = "00:00:00.150",
            ["MediaAgent:StatisticsInterval"] = "00:00:00.200",
            ["MediaAgent:RtpEngine:UserspacePortMin"] = Ports.Min.ToString(CultureInfo.InvariantCulture),
            ["MediaAgent:RtpEngine:UserspacePortMax"] = Ports.Max.ToString(CultureInfo.InvariantCulture),
            ["MediaAgent:RtpEngine:ExtraArguments:0"] = "--delete-delay=0",
            ["MediaAgent:RtpEngine:RestartDelay"] = "00:00:00.200",
            ["MediaAgent:RtpEngine:MaxRestartDelay"] = "00:00:02",
            ["MediaAgent:RtpEngine:StopTimeout"] = "00:00:05",
            ["MediaAgent:Kernel:ControlFile"] = ControlFile,
            ["MediaAgent:Kernel:ModuleDirectory"] = ModuleDirectory,
            ["MediaAgent:Drain:GracePeriod"] = "00:00:30",
            ["MediaAgent:Drain:PollInterval"] = "00:00:00.100",
        };
        configure?.Invoke(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings, environment variables or command line: only what the test sets.
            DisableDefaults = true,
            ApplicationName = "VoipPlatform.MediaAgentTest",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs);
        builder.AddMediaAgent();
        services?.Invoke(builder.Services);
        _host = builder.Build();
        Directory.CreateDirectory(ModuleDirectory);
    }

    /// <summary>Where the agent's RTPEngine takes ng commands.</summary>
    public IPEndPoint NgEndPoint { get; }

    /// <summary>The RTP ports of userspace forwarding.</summary>
    public (int Min, int Max) Ports { get; }

    /// <summary>A control file path that does not exist: no kernel module.</summary>
    public string ControlFile => Path.Combine(_directory, "proc", "rtpengine", "control");

    /// <summary>An empty stand-in for <c>/sys/module</c>; a test adds a module's directory to "load" it.</summary>
    public string ModuleDirectory => Path.Combine(_directory, "module");

    /// <summary>Everything the agent logged.</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>The RTPEngine supervisor (process id, state, restarts, arguments).</summary>
    public RtpEngineSupervisor Supervisor => _host.Services.GetRequiredService<RtpEngineSupervisor>();

    /// <summary>The agent's lifecycle service (its forwarding plan).</summary>
    public MediaAgentService Service => _host.Services.GetRequiredService<MediaAgentService>();

    /// <summary>The host's services, for what the properties above do not cover.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Builds the agent; nothing runs before <see cref="StartAsync"/>.</summary>
    /// <param name="configure">Changes to the settings.</param>
    /// <param name="services">Replacements for the agent's services (registered last, so they win).</param>
    public static MediaAgentUnderTest Create(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null) =>
        new(configure, services);

    /// <summary>Starts the host: the agent decides its forwarding and launches RTPEngine.</summary>
    public Task StartAsync() => _host.StartAsync();

    /// <summary>Stops the host as SIGTERM would: drain, stop RTPEngine, release.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync();
    }

    /// <summary>What <c>/health</c> would answer now.</summary>
    public Task<HealthReport> CheckHealthAsync() => _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    /// <summary>Waits until <c>/health</c> is Healthy and <paramref name="also"/> holds; fails with the last report after <paramref name="limit"/>.</summary>
    public async Task<TimeSpan> WaitUntilHealthyAsync(TimeSpan limit, Func<bool>? also = null)
    {
        var clock = Stopwatch.StartNew();
        HealthReport report;
        do
        {
            report = await CheckHealthAsync();
            if (report.Status == HealthStatus.Healthy && (also?.Invoke() ?? true)) return clock.Elapsed;
            await Task.Delay(PollInterval);
        }
        while (clock.Elapsed < limit);
        string entries = string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}"));
        throw new TimeoutException($"Not healthy within {limit}: {entries}\n{string.Join('\n', Logs.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"))}");
    }

    /// <summary>A client of the agent's RTPEngine, as the proxy would use it.</summary>
    public NgClient CreateNgClient() => new(NgEndPoint);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A test that failed half-way still stops RTPEngine (through the host) before the next test runs.
        if (!_stopped) await StopAsync();
        _host.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
