using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>A stopping agent (SIGTERM) lets the media sessions on its RTPEngine end before it stops RTPEngine.</summary>
public sealed class DrainTests
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(15);

    /// <summary>Long enough that a stop still waiting after it is waiting for the session, not finishing its work.</summary>
    private static readonly TimeSpan StillDraining = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Stop_waits_while_a_session_is_active_and_finishes_once_it_is_deleted()
    {
        await using var agent = MediaAgentUnderTest.Create();
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        await using var ng = agent.CreateNgClient();
        string callId = Sessions.NewCallId();
        await ng.OfferAsync(callId, "caller", Sessions.Sdp(30_002));

        var stopping = agent.StopAsync();
        await Task.Delay(StillDraining);

        Assert.False(stopping.IsCompleted, "the agent stopped with a session still active");
        Assert.Equal(RtpEngineProcessState.Running, agent.Supervisor.State);
        await ng.DeleteAsync(callId, "caller");
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RtpEngineProcessState.Stopped, agent.Supervisor.State);
        Assert.Contains(agent.Logs.Entries, e => e.Message == "Drained: no media session left");
    }

    [Fact]
    public async Task Stop_stops_rtpengine_anyway_when_the_grace_period_ends_with_a_session_still_active()
    {
        await using var agent = MediaAgentUnderTest.Create(settings => settings["MediaAgent:Drain:GracePeriod"] = "00:00:02");
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        int rtpEngine = agent.Supervisor.ProcessId!.Value;
        await using var ng = agent.CreateNgClient();
        await ng.OfferAsync(Sessions.NewCallId(), "caller", Sessions.Sdp(30_002));
        var clock = Stopwatch.StartNew();

        await agent.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
        Assert.Equal(RtpEngineProcessState.Stopped, agent.Supervisor.State);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(rtpEngine));
        Assert.Contains(agent.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("grace period of 00:00:02 ended with 1 media sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_without_sessions_is_immediate()
    {
        await using var agent = MediaAgentUnderTest.Create();
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        var clock = Stopwatch.StartNew();

        await agent.StopAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(RtpEngineProcessState.Stopped, agent.Supervisor.State);
    }

    [Fact]
    public async Task The_host_shutdown_timeout_outlasts_the_drain_grace_period_and_rtpengines_stop()
    {
        await using var agent = MediaAgentUnderTest.Create(settings =>
        {
            settings["MediaAgent:Drain:GracePeriod"] = "00:05:00";
            settings["MediaAgent:RtpEngine:StopTimeout"] = "00:00:20";
        });

        var host = agent.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.True(host.ShutdownTimeout > TimeSpan.FromSeconds(320), $"shutdown timeout {host.ShutdownTimeout}");
    }

    [Fact]
    public async Task Stopping_the_agent_deletes_its_table_through_the_kernel_control_file_stand_in_and_removes_its_firewall_rule()
    {
        using var kernel = new KernelControlFileStandIn();
        var firewall = new RecordingCommandRunner();
        await using var agent = MediaAgentUnderTest.Create(services: services =>
        {
            services.AddSingleton<IKernelControlFile>(kernel);
            services.AddSingleton<ICommandRunner>(firewall);
        });
        Directory.CreateDirectory(Path.Combine(agent.ModuleDirectory, KernelModuleDetector.XtablesModuleName));
        await agent.StartAsync();

        Assert.Equal(0, agent.Service.Forwarding?.TableId);
        Assert.Contains("--table=0", agent.Supervisor.Arguments);
        // This kernel has no module, so the real RTPEngine refuses table 0 (--no-fallback) and exits: the agent must
        // release its table all the same.
        await agent.StopAsync();

        Assert.Equal(["add 0", "del 0"], kernel.Commands);
        Assert.Contains("iptables -D rtpengine -p udp -j RTPENGINE --id 0", firewall.Commands);
    }
}
