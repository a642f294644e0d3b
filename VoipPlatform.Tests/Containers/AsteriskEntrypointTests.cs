using System.Text.Json;
using VoipPlatform.Tests.ServiceDefaults.Discovery;

namespace VoipPlatform.Tests.Containers;

/// <summary>
/// The Asterisk container's bootstrap (containers/asterisk/entrypoint.sh) really run, against the recording HTTP
/// listener that stands in for a Consul agent and a stand-in <c>asterisk</c> command (neither Consul nor Asterisk can
/// run here): registration, the TTL check following <c>core show uptime</c>, re-registration, and the drain on SIGTERM.
/// </summary>
public sealed class AsteriskEntrypointTests
{
    private const string Register = "/v1/agent/service/register";
    private const string CheckUpdate = "/v1/agent/check/update/service:" + AsteriskEntrypointUnderTest.ServiceId;
    private const string Maintenance = "/v1/agent/service/maintenance/" + AsteriskEntrypointUnderTest.ServiceId;
    private const string Deregister = "/v1/agent/service/deregister/" + AsteriskEntrypointUnderTest.ServiceId;

    private static bool IsPut(ConsulStandIn.Request request, string path) => request.Method == "PUT" && request.Path == path;

    private static bool IsReport(ConsulStandIn.Request request, string status) =>
        IsPut(request, CheckUpdate) && request.Body?.GetProperty("Status").GetString() == status;

    [Fact]
    public async Task With_a_consul_stand_in_and_an_asterisk_stand_in_the_entrypoint_registers_and_keeps_the_ttl_check_following_core_show_uptime()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        await using var entrypoint = AsteriskEntrypointUnderTest.Start(consul.Address);

        int registered = await consul.WaitForAsync(r => IsPut(r, Register), "registration");
        JsonElement body = consul.Requests[registered].Body!.Value;
        Assert.Equal(AsteriskEntrypointUnderTest.ServiceId, body.GetProperty("ID").GetString());
        Assert.Equal("asterisk", body.GetProperty("Name").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("Address").GetString());
        Assert.Equal(5080, body.GetProperty("Port").GetInt32());
        Assert.Equal(new[] { "udp", "tcp" }, body.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        JsonElement check = body.GetProperty("Check");
        Assert.Equal("service:" + AsteriskEntrypointUnderTest.ServiceId, check.GetProperty("CheckID").GetString());
        Assert.Equal("3s", check.GetProperty("TTL").GetString());
        Assert.Equal("passing", check.GetProperty("Status").GetString());

        // Every second (a third of the TTL): passing while the console answers, critical when it does not.
        int passing = await consul.WaitForAsync(r => IsReport(r, "passing"), "a passing report", registered);
        await consul.WaitForAsync(r => IsReport(r, "passing"), "a second passing report", passing + 1);
        entrypoint.SetHung(true);
        int critical = await consul.WaitForAsync(r => IsReport(r, "critical"), "a critical report while the console does not answer", passing + 1);
        entrypoint.SetHung(false);
        await consul.WaitForAsync(r => IsReport(r, "passing"), "passing again", critical + 1);

        // The deployment's part of the config: the routing layer's networks and the API address.
        string identify = File.ReadAllText(Path.Combine(entrypoint.ConfigDirectory, "generated", "pjsip-identify.conf"));
        Assert.Contains("endpoint=routing-layer", identify);
        Assert.Contains("match=127.0.0.0/8\nmatch=::1\n", identify);
        Assert.Equal("voicemail => curl,http://127.0.0.1:9/api/v1/voicemail/realtime\n",
            File.ReadAllText(Path.Combine(entrypoint.ConfigDirectory, "generated", "extconfig.conf")));
        Assert.False(entrypoint.HasExited, entrypoint.Output);
    }

    [Fact]
    public async Task On_sigterm_the_entrypoint_enters_maintenance_stops_asterisk_gracefully_waits_for_the_last_call_then_deregisters()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        await using var entrypoint = AsteriskEntrypointUnderTest.Start(consul.Address);
        int registered = await consul.WaitForAsync(r => IsPut(r, Register), "registration");
        await consul.WaitForAsync(r => IsReport(r, "passing"), "a passing report", registered);

        entrypoint.SetCalls(1);
        entrypoint.Terminate();

        int maintenance = await consul.WaitForAsync(r => IsPut(r, Maintenance), "maintenance");
        Assert.Equal("true", consul.Requests[maintenance].Query["enable"]);
        await WaitUntilAsync(() => entrypoint.Invocations.Contains("-rx core stop gracefully"), "core stop gracefully", entrypoint);

        // A call is still up: nothing leaves yet.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(entrypoint.HasExited, $"exited with a call up:\n{entrypoint.Output}");
        Assert.DoesNotContain(consul.Requests, r => IsPut(r, Deregister));

        entrypoint.SetCalls(0);
        int deregistered = await consul.WaitForAsync(r => IsPut(r, Deregister), "deregistration", maintenance);
        Assert.True(await entrypoint.WaitForExitAsync(TimeSpan.FromSeconds(5)), entrypoint.Output);
        Assert.Equal(0, entrypoint.ExitCode);
        Assert.True(deregistered > maintenance);
    }

    [Fact]
    public async Task When_the_agent_forgets_the_instance_or_asterisk_dies_the_entrypoint_registers_again_or_reports_critical_deregisters_and_fails()
    {
        await using var consul = await ConsulStandIn.StartAsync(failFirst: 1); // the agent is not ready yet
        await using var entrypoint = AsteriskEntrypointUnderTest.Start(consul.Address);
        int registered = await consul.WaitForAsync(r => IsPut(r, Register) && r.Status == 200, "registration after a failed attempt");
        Assert.Equal(500, consul.Requests[0].Status);

        consul.FailNext(1); // the next report fails: an agent restarted and lost us
        int failed = await consul.WaitForAsync(r => IsPut(r, CheckUpdate) && r.Status == 500, "a failed report", registered + 1);
        int again = await consul.WaitForAsync(r => IsPut(r, Register), "registration again", failed + 1);

        entrypoint.Crash();
        int critical = await consul.WaitForAsync(r => IsReport(r, "critical"), "a critical report once asterisk died", again + 1);
        await consul.WaitForAsync(r => IsPut(r, Deregister), "deregistration", critical + 1);
        Assert.True(await entrypoint.WaitForExitAsync(TimeSpan.FromSeconds(5)), entrypoint.Output);
        Assert.Equal(1, entrypoint.ExitCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, AsteriskEntrypointUnderTest entrypoint)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"no {what} within 10 s:\n{entrypoint.Output}");
            await Task.Delay(50);
        }
    }
}
