using System.Net;
using System.Text.RegularExpressions;
using VoipPlatform.Tests.Infrastructure;
using Xunit.Abstractions;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Router replicas (real processes sharing the platform's Redis, API and nonce secret) behind an edge proxy process,
/// with real SIPp phones: routers found by DNS SRV on a real dnsmasq, a router killed under load, a router drained
/// by SIGTERM.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class DiscoveryAndDrainTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const string RouterService = "_sip._udp.router.vp.test";

    private static void AssertAllSucceeded(SippResult result, string what, int calls) =>
        Assert.True(result is { ExitCode: 0, FailedCalls: 0 } && result.SuccessfulCalls == calls, $"{what}: {result}");

    /// <summary>Call numbers that logged <paramref name="what"/> (<c>started</c> or <c>completed</c>) so far.</summary>
    private static HashSet<int> Logged(string callLog, string what)
    {
        if (!File.Exists(callLog)) return [];
        using var reader = new StreamReader(new FileStream(callLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return CallLogLine().Matches(reader.ReadToEnd()).Where(m => m.Groups[1].Value == what).Select(m => int.Parse(m.Groups[2].Value)).ToHashSet();
    }

    private static string Tail(string log) => log[^Math.Min(log.Length, 4000)..];

    [GeneratedRegex(@"^(started|completed) (\d+)", RegexOptions.Multiline)]
    private static partial Regex CallLogLine();

    [Fact]
    public async Task With_routers_found_by_dns_srv_a_router_killed_mid_run_loses_only_calls_it_carried_and_every_later_call_succeeds()
    {
        int routerA = FreeSipPort.Next(), routerB = FreeSipPort.Next();
        await using var dns = await DnsmasqServer.StartAsync(
            $"--srv-host={RouterService},a.router.vp.test,{routerA},10,50",
            $"--srv-host={RouterService},b.router.vp.test,{routerB},10,50",
            "--host-record=a.router.vp.test,127.0.0.1",
            "--host-record=b.router.vp.test,127.0.0.1");
        await using var replicas = await RouterReplicas.StartAsync(platform, routerA, routerB, new Dictionary<string, string>
        {
            ["Proxy__RouterService"] = RouterService,
            ["Sip__Dns__Server"] = dns.EndPoint.ToString(),
        });
        var (first, second, proxy, edge) = (replicas.First, replicas.Second, replicas.Edge, replicas.EdgeEndPoint);
        SippPhone caller = await SippPhone.CreateAsync(platform, edge), callee = await SippPhone.CreateAsync(platform, edge);
        AssertAllSucceeded(await callee.RegisterAsync(), "register", 1);

        const int calls = 300;
        string callLog = Path.Combine(Path.GetTempPath(), $"vp-failover-{Guid.NewGuid():N}.log");
        var (answering, _) = SippScenarios.ThroughHops(edge, replicas.FirstEndPoint, replicas.SecondEndPoint);
        await using var uas = callee.Answer(answering, calls);
        await Task.Delay(300);
        // A call whose 200 was on its way through the killed router would wait for it forever (the edge got the
        // router's 100 Trying, so only Timer C, 3 minutes, ends it): give up on any answer after 15 s instead.
        await using var call = caller.Call(callee.User, calls, callsPerSecond: 30, callLog: callLog, answerTimeoutMilliseconds: 15_000);

        await Task.Delay(TimeSpan.FromSeconds(4)); // about 120 calls in, a few of them in progress on each router
        await first.KillAsync();
        // Read after the kill: a call logged by now may have started just before it, so it counts as under way.
        HashSet<int> startedBeforeKill = Logged(callLog, "started");

        SippResult result = await call.WaitAsync(TimeSpan.FromSeconds(90));
        HashSet<int> started = Logged(callLog, "started"), completed = Logged(callLog, "completed");
        File.Delete(callLog);
        int[] lostBefore = startedBeforeKill.Except(completed).Order().ToArray();
        int[] failedAfter = started.Except(startedBeforeKill).Except(completed).Order().ToArray();
        output.WriteLine($"{calls} calls at 30/s; router A killed after call {startedBeforeKill.Max()}: {completed.Count} completed, " +
                         $"{lostBefore.Length} calls in progress at the kill lost ({string.Join(", ", lostBefore)}), {failedAfter.Length} later calls failed");

        Assert.True(startedBeforeKill.Count is > 30 and < calls - 30, $"the kill was not mid-run: {startedBeforeKill.Count} calls had started");
        Assert.Equal(calls, started.Count);
        Assert.True(failedAfter.Length == 0, $"calls started after the kill failed: {string.Join(", ", failedAfter)}\n{result}\nproxy:\n{Tail(proxy.Output)}\nrouter B:\n{Tail(second.Output)}");
        // Only calls up at the kill can be lost (their BYE must pass the router that record-routed them): at 30/s
        // with 0.2 s calls that is a handful, never a share of the run.
        Assert.InRange(lostBefore.Length, 0, 15);
        Assert.Equal(calls - lostBefore.Length, result.SuccessfulCalls);
    }

    [Fact]
    public async Task A_router_told_to_stop_finishes_the_calls_it_carries_takes_no_new_ones_and_exits()
    {
        await using var replicas = await RouterReplicas.StartAsync(platform);
        var (first, second, proxy, edge) = (replicas.First, replicas.Second, replicas.Edge, replicas.EdgeEndPoint);
        SippPhone caller = await SippPhone.CreateAsync(platform, edge), callee = await SippPhone.CreateAsync(platform, edge);
        AssertAllSucceeded(await callee.RegisterAsync(), "register", 1);

        const int calls = 12;
        var (answering, _) = SippScenarios.ThroughHops(edge, replicas.FirstEndPoint, replicas.SecondEndPoint);
        await using var uas = callee.Answer(answering, calls);
        await Task.Delay(300);
        await using var call = caller.Call(callee.User, calls, callsPerSecond: 4, holdMilliseconds: 3000);

        // Calls spread over the routers by Call-ID, so router A may get none of the first few: stop it once it has
        // asked the API about a call (then set up within a few hundred ms), not at a fixed time.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!first.Output.Contains("/v1/calls/route") && waited.Elapsed < TimeSpan.FromSeconds(3)) await Task.Delay(50);
        Assert.True(first.Output.Contains("/v1/calls/route"), $"router A got no call in 3 s:\nB:\n{Tail(second.Output)}");
        await Task.Delay(500);
        first.Terminate();

        // It takes no new call: a new INVITE straight to it is refused.
        using var probe = new UdpPeer();
        await Task.Delay(200);
        probe.Send(SipRequests.Invite(probe.EndPoint, PlatformFixture.Domain), replicas.FirstEndPoint);
        string? refused = await probe.ReceiveUntilAsync("SIP/2.0 503", TimeSpan.FromSeconds(3));
        Assert.True(refused is not null && refused.Contains("Draining"), $"router A answered: {refused ?? "nothing"}\nA:\n{first.Output}\nB:\n{second.Output}\nproxy:\n{proxy.Output}");

        // Every call succeeds: those it carried end through it, the new ones went to router B.
        AssertAllSucceeded(await call.WaitAsync(TimeSpan.FromSeconds(60)), "caller", calls);
        AssertAllSucceeded(await uas.WaitAsync(TimeSpan.FromSeconds(30)), "callee", calls);

        // And then it stops by itself, having waited for its calls rather than for its time limit.
        Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(15)), $"router A did not exit:\n{first.Output}");
        Assert.Contains("SIP drained", first.Output);
        Assert.Matches(@"SIP draining: [1-9]\d* calls under way", first.Output);
    }
}
