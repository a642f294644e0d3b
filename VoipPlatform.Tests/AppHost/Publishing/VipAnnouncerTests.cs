using System.Diagnostics;

namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// The proxy's VIP sidecar as published (its script, its two BIRD configurations, its preStop command), run with the
/// real BIRD inside a network namespace the test makes (a veth named eth0 with a private /30, nothing routed out):
/// the VIP is in BIRD's OSPF router LSA only while the health URL answers, and leaves it for good on the preStop
/// command. The health URL is a file:// URL the test creates and deletes, so no server is needed.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed class VipAnnouncerTests(PublishFixture publish)
{
    private const string Vip = "203.0.113.10";

    /// <summary>BIRD re-originates a changed LSA at most every 5 s (MinLSInterval); a change may take that long.</summary>
    private static readonly TimeSpan LsaDeadline = TimeSpan.FromSeconds(12);

    [PublishToolFact(PublishTools.BirdNamespace)]
    public async Task The_vip_is_announced_only_while_the_proxy_is_healthy_and_withdrawn_for_good_by_the_prestop_hook()
    {
        Assert.True(PublishTools.Missing(PublishTools.BirdNamespace) is null, PublishTools.Missing(PublishTools.BirdNamespace));
        var files = publish.Default.Object("proxy-bird-config").Map("data");
        var bird = publish.Default.Object("proxy-daemonset").Maps("spec.template.spec.containers").Single(c => (string?)c["name"] == "vip-announcer");
        string preStop = ((List<object?>)bird.At("lifecycle.preStop.exec.command")!).Cast<string>().Last();

        string root = Directory.CreateDirectory(Path.Combine(publish.ScratchDirectory, "vip-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        string config = Directory.CreateDirectory(Path.Combine(root, "config")).FullName;
        string run = Path.Combine(root, "run");
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(config, name), (string)text!);
        }
        string health = Path.Combine(root, "health");
        var environment = new Dictionary<string, string>
        {
            ["VIP"] = Vip,
            ["HEALTH_URL"] = new Uri(health).AbsoluteUri,
            ["BIRD_CONFIG_DIR"] = config,
            ["BIRD_RUN_DIR"] = run,
        };

        string ns = "vpvip" + Guid.NewGuid().ToString("N")[..8];
        await Ip("netns", "add", ns);
        Process? announcer = null;
        try
        {
            await Ip("-n", ns, "link", "set", "lo", "up");
            await Ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
            await Ip("-n", ns, "address", "add", "10.255.0.1/30", "dev", "eth0");
            await Ip("-n", ns, "link", "set", "eth0", "up");
            await Ip("-n", ns, "link", "set", "eth0p", "up");

            announcer = Start("ip", ["netns", "exec", ns, "sh", Path.Combine(config, "vip-announcer.sh")], environment);

            // Not healthy yet: BIRD runs, the VIP is on lo, but not in the LSA.
            await Eventually(() => OspfState(ns, run), s => s.Contains("stubnet 10.255.0.0/30", StringComparison.Ordinal), "BIRD up");
            Assert.DoesNotContain(Vip, await OspfState(ns, run));
            Assert.Contains($"{Vip}/32", (await PublishTools.Run("ip", ["-n", ns, "address", "show", "dev", "lo"])).Output);

            await File.WriteAllTextAsync(health, "ok");
            await Eventually(() => OspfState(ns, run), s => s.Contains($"stubnet {Vip}/32", StringComparison.Ordinal), "announced while healthy");

            File.Delete(health);
            await Eventually(() => OspfState(ns, run), s => !s.Contains(Vip, StringComparison.Ordinal), "withdrawn while unhealthy");

            await File.WriteAllTextAsync(health, "ok");
            await Eventually(() => OspfState(ns, run), s => s.Contains($"stubnet {Vip}/32", StringComparison.Ordinal), "announced again");

            // The pod stops: the preStop hook withdraws although the proxy is still healthy, and it stays withdrawn.
            var (exit, output) = await PublishTools.Run("ip", ["netns", "exec", ns, "sh", "-c", preStop], environment: environment);
            Assert.True(exit == 0, $"preStop failed: {output}");
            await Eventually(() => OspfState(ns, run), s => !s.Contains(Vip, StringComparison.Ordinal), "withdrawn by preStop");
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.DoesNotContain(Vip, await OspfState(ns, run));

            // SIGTERM (after preStop) ends the announcer and its BIRD.
            await PublishTools.Run("kill", ["-TERM", announcer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await announcer.WaitForExitAsync(stop.Token);
        }
        finally
        {
            if (announcer is { HasExited: false })
            {
                announcer.Kill(entireProcessTree: true);
            }
            announcer?.Dispose();
            // Nothing may outlive the test in the namespace; deleting it removes the veth pair too.
            foreach (string pid in (await PublishTools.Run("ip", ["netns", "pids", ns])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await PublishTools.Run("kill", ["-KILL", pid.Trim()]);
            }
            await PublishTools.Run("ip", ["netns", "del", ns]);
        }
    }

    private static async Task<string> OspfState(string ns, string run) =>
        (await PublishTools.Run("ip", ["netns", "exec", ns, "birdc", "-s", Path.Combine(run, "bird.ctl"), "show", "ospf", "state"])).Output;

    private static async Task Eventually(Func<Task<string>> probe, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + LsaDeadline;
        string last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (condition(last))
            {
                return;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"Not {what} within {LsaDeadline.TotalSeconds} s; BIRD's OSPF state:\n{last}");
    }

    private static async Task Ip(params string[] args)
    {
        var (exit, output) = await PublishTools.Run("ip", args);
        Assert.True(exit == 0, $"ip {string.Join(' ', args)}: {output}");
    }

    private static Process Start(string command, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) startInfo.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;
        var process = Process.Start(startInfo)!;
        // Drain the pipes so the script never blocks on a full one.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
