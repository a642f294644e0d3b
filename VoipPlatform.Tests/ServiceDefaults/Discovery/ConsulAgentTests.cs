using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DnsClient;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.ServiceDefaults.Discovery;

/// <summary>
/// Runs a test only where a <c>consul</c> binary is on PATH (HashiCorp's release, 1.14 or later). Consul is in
/// neither Debian nor NuGet, so on machines without it the test is reported as skipped, saying why.
/// </summary>
public sealed class ConsulAgentFactAttribute : FactAttribute
{
    public const string Command = "consul";

    public ConsulAgentFactAttribute()
    {
        if (FindOnPath() is null)
        {
            Skip = $"No '{Command}' binary on PATH (not packaged in Debian or NuGet): install HashiCorp's release to run " +
                   "this test against a real agent; ConsulRegistrationTests cover the same behaviour against a stand-in.";
        }
    }

    public static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, Command))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// Self-registration against a real <c>consul agent -dev</c> on loopback ports: the agent lists the instance with its
/// passing TTL check, its DNS answers the SRV names docs/service-discovery.md gives, and the instance is gone after
/// shutdown.
/// </summary>
public sealed class ConsulAgentTests
{
    private const string ServiceName = "router";
    private const int SipPort = 5098;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [ConsulAgentFact]
    public async Task A_service_registers_with_a_real_agent_answers_in_its_DNS_and_is_gone_after_shutdown()
    {
        int httpPort = FreeSipPort.Next();
        int dnsPort = FreeSipPort.Next();
        await using var agent = await LoopbackServerProcess.StartAsync(ConsulAgentFactAttribute.FindOnPath()!,
        [
            "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
            "-http-port", $"{httpPort}", "-dns-port", $"{dnsPort}",
            // Every other port free too, so the test never collides with a Consul already running here.
            "-server-port", $"{FreeSipPort.Next()}", "-serf-lan-port", $"{FreeSipPort.Next()}",
            "-serf-wan-port", $"{FreeSipPort.Next()}", "-grpc-port", "-1", "-grpc-tls-port", "-1",
        ], httpPort, "HashiCorp consul (no Debian package)", HasLeaderAsync);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };

        string serviceId = $"{ServiceName}-test-{SipPort}";
        await using var service = ServiceUnderTest.Create(new Dictionary<string, string?>
        {
            ["Consul:Address"] = http.BaseAddress.ToString(),
            ["Consul:Service:Name"] = ServiceName,
            ["Consul:Service:Id"] = serviceId,
            ["Consul:Service:Tags:0"] = "udp",
            ["Consul:Service:Tags:1"] = "tcp",
            ["Consul:Service:CheckTtl"] = "00:00:03",
            ["Sip:Port"] = $"{SipPort}",
        });
        await service.StartAsync();

        var listed = await PollAsync(async () =>
        {
            var services = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>("v1/agent/services");
            return services!.TryGetValue(serviceId, out var entry) ? entry : (JsonElement?)null;
        }, "the instance in /v1/agent/services");
        Assert.Equal(ServiceName, listed.GetProperty("Service").GetString());
        Assert.Equal(SipPort, listed.GetProperty("Port").GetInt32());
        Assert.Equal(["udp", "tcp"], listed.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        string status = await http.GetStringAsync($"v1/agent/health/service/id/{serviceId}?format=text");
        Assert.Equal("passing", status.Trim());

        var dns = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, dnsPort)) { UseCache = false });
        foreach (string name in new[] { $"{ServiceName}.service.consul", $"_{ServiceName}._udp.service.consul" })
        {
            var answer = await dns.QueryAsync(name, QueryType.SRV);
            Assert.Contains(answer.Answers.SrvRecords(), srv => srv.Port == SipPort);
        }

        await service.StopAsync();
        var afterStop = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>("v1/agent/services");
        Assert.False(afterStop!.ContainsKey(serviceId), "the instance must be deregistered at shutdown");
    }

    /// <summary>The dev agent takes registrations once it has elected itself leader.</summary>
    private static async Task<bool> HasLeaderAsync(IPEndPoint endPoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            string leader = await http.GetStringAsync($"http://{endPoint}/v1/status/leader");
            return leader.Trim('"', ' ', '\n').Length > 0;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> PollAsync(Func<Task<JsonElement?>> probe, string what)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!timeout.IsCancellationRequested)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No {what} within {Wait.TotalSeconds} s");
    }
}
