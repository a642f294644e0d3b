using Microsoft.Extensions.Logging;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>This machine's kernel has no RTPEngine module: the agent must fall back to userspace and still relay.</summary>
public sealed class UserspaceFallbackTests
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Without_a_kernel_control_file_the_agent_warns_once_and_runs_a_real_rtpengine_with_table_minus_one_that_answers_ping()
    {
        await using var agent = MediaAgentUnderTest.Create();

        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);

        Assert.Contains("--table=-1", agent.Supervisor.Arguments);
        Assert.Contains($"--port-min={agent.Ports.Min}", agent.Supervisor.Arguments);
        Assert.Contains($"--port-max={agent.Ports.Max}", agent.Supervisor.Arguments);
        Assert.DoesNotContain("--no-fallback", agent.Supervisor.Arguments);
        Assert.Equal(RtpEngineProcessState.Running, agent.Supervisor.State);
        var plan = agent.Service.Forwarding;
        Assert.NotNull(plan);
        Assert.False(plan.IsKernel);
        Assert.Equal(new PortRange(agent.Ports.Min, agent.Ports.Max), plan.Ports);
        Assert.Single(agent.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(agent.ControlFile, StringComparison.Ordinal));
        await using var ng = agent.CreateNgClient();
        await ng.PingAsync();
    }

    [Fact]
    public async Task The_userspace_rtpengine_relays_a_session_on_the_configured_ports_of_both_interfaces()
    {
        await using var agent = MediaAgentUnderTest.Create();
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        await using var ng = agent.CreateNgClient();
        string callId = Sessions.NewCallId();

        string offer = await ng.OfferAsync(callId, "caller", Sessions.Sdp(30_002));
        string answer = await ng.AnswerAsync(callId, "caller", "callee", Sessions.Sdp(30_004));

        Assert.InRange(Sessions.MediaPort(offer), agent.Ports.Min, agent.Ports.Max);
        Assert.InRange(Sessions.MediaPort(answer), agent.Ports.Min, agent.Ports.Max);
        Assert.Contains($"--interface={RtpEngineArguments.ExternalInterfaceName}/127.0.0.1", agent.Supervisor.Arguments);
        Assert.Contains($"--interface={RtpEngineArguments.InternalInterfaceName}/127.0.0.1", agent.Supervisor.Arguments);
        await ng.DeleteAsync(callId, "caller");
    }
}
