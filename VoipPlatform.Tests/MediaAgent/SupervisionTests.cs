using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The agent keeps a real RTPEngine running: restarts it when it dies, and says so in its health.</summary>
public sealed class SupervisionTests
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(15);

    /// <summary>Restart delay 0.2 s, a ping every 0.2 s: a restarted RTPEngine answers well within this.</summary>
    private static readonly TimeSpan HealthyAgainWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_killed_rtpengine_is_restarted_and_the_agent_is_healthy_again_within_ten_seconds()
    {
        await using var agent = MediaAgentUnderTest.Create();
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        int killed = agent.Supervisor.ProcessId ?? throw new InvalidOperationException("no RTPEngine process");

        using (var process = Process.GetProcessById(killed)) process.Kill();
        var recovered = await agent.WaitUntilHealthyAsync(HealthyAgainWithin, () => agent.Supervisor.ProcessId is { } pid && pid != killed);

        Assert.InRange(recovered, TimeSpan.Zero, HealthyAgainWithin);
        Assert.Equal(1, agent.Supervisor.Restarts);
        Assert.Contains(agent.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"(PID {killed}) exited", StringComparison.Ordinal));
        await using var ng = agent.CreateNgClient();
        await ng.PingAsync();
    }

    [Fact]
    public async Task A_dead_rtpengine_makes_the_agent_unhealthy_until_it_is_back()
    {
        // A long restart delay keeps RTPEngine down long enough to look at the health in between.
        await using var agent = MediaAgentUnderTest.Create(settings => settings["MediaAgent:RtpEngine:RestartDelay"] = "00:00:02");
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        int killed = agent.Supervisor.ProcessId!.Value;

        using (var process = Process.GetProcessById(killed)) process.Kill();
        await WaitForAsync(() => agent.Supervisor.State == RtpEngineProcessState.Restarting);
        var report = await agent.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        await agent.WaitUntilHealthyAsync(HealthyAgainWithin);
    }

    [Fact]
    public async Task A_missing_rtpengine_executable_is_reported_unhealthy_with_one_warning_however_often_it_is_retried()
    {
        await using var agent = MediaAgentUnderTest.Create(settings => settings["MediaAgent:RtpEngine:Executable"] = "/nonexistent/rtpengine");
        await agent.StartAsync();

        await WaitForAsync(() => agent.Logs.Entries.Count(e => e.Message.StartsWith("Could not start /nonexistent/rtpengine", StringComparison.Ordinal)) >= 3);
        var report = await agent.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains(nameof(RtpEngineProcessState.ExecutableMissing), report.Entries["rtpengine"].Description);
        Assert.Single(agent.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("/nonexistent/rtpengine", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
