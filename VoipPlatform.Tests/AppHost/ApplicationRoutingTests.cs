using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Decisions;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Application calls through the routing layer, with SIPp UASes standing in for Asterisk instances (Asterisk cannot
/// run here), the real business-logic API and Redis of the platform, real router processes and a real dnsmasq for
/// DNS SRV: the instruction headers of each application, conference rooms meeting on one instance, and the caller's
/// answer when no application server is there.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class ApplicationRoutingTests(PlatformFixture platform)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(30);

    private static void AssertAllSucceeded(SippResult result, string what, int calls = 1) =>
        Assert.True(result is { ExitCode: 0, FailedCalls: 0 } && result.SuccessfulCalls == calls, $"{what}: {result}");

    /// <summary>A number of the seeded domain leading to <paramref name="application"/>.</summary>
    private async Task<string> CreateNumberAsync(string application, IReadOnlyDictionary<string, string> parameters)
    {
        string number = $"77{Random.Shared.Next(10_000_000, 99_999_999)}";
        using HttpClient api = platform.CreateHttpClient("applayer");
        using HttpResponseMessage created = await api.PostAsJsonAsync($"/v1/domains/{PlatformFixture.Domain}/numbers", new { number, application, parameters });
        Assert.True(created.IsSuccessStatusCode, $"number for {application}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        return number;
    }

    private static Dictionary<string, string> ParseParameters(string parameters) =>
        parameters.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    [InlineData(ApplicationNames.VoicemailDeposit, "mailbox=1001;language=it")]
    [InlineData(ApplicationNames.VoicemailCheck, "mailbox=1002;pin=2468")]
    [InlineData(ApplicationNames.Conference, "room=sales.7;pin=1234;max-members=5")]
    [InlineData(ApplicationNames.Ivr, "menu=main;language=en")]
    [InlineData(ApplicationNames.Playback, "prompt=hello-world")]
    [InlineData(ApplicationNames.Echo, "")]
    public async Task Each_application_reaches_the_sipp_standing_in_for_asterisk_with_its_instruction_headers(string application, string parameters)
    {
        Dictionary<string, string> given = ParseParameters(parameters);
        string number = await CreateNumberAsync(application, given);
        SippPhone caller = await SippPhone.CreateAsync(platform);
        var expected = new Dictionary<string, string?>
        {
            [ApplicationHeaders.Application] = application,
            [ApplicationHeaders.ForParameter(ApplicationParameters.Domain)] = PlatformFixture.Domain,
            [ApplicationHeaders.ForParameter(ApplicationParameters.Caller)] = caller.User,
        };
        foreach (var (name, value) in given) expected[ApplicationHeaders.ForParameter(name)] = value;

        await using var standIn = SippRun.Start("-sf", SippScenarios.ApplicationStandIn(expected), "-i", "127.0.0.1",
            "-p", PlatformFixture.ApplicationServerPort.ToString(), "-m", "1");
        await Task.Delay(300);
        await using var call = caller.Call(number);

        AssertAllSucceeded(await call.WaitAsync(RunLimit), "caller");
        AssertAllSucceeded(await standIn.WaitAsync(RunLimit), $"{application} stand-in expecting {string.Join(", ", expected.Select(h => $"{h.Key}: {h.Value}"))}");
    }

    [Fact]
    public async Task Members_of_one_room_reach_the_same_sipp_standing_in_for_asterisk_across_many_calls_also_after_a_second_instance_joins()
    {
        const string service = "_asterisk._udp.apps.vp.test";
        int instanceA = FreeSipPort.Next(), instanceB = FreeSipPort.Next(), dnsPort = FreeSipPort.Next(), routerPort = FreeSipPort.Next();
        string recordA = $"--srv-host={service},a.apps.vp.test,{instanceA},10,50", recordB = $"--srv-host={service},b.apps.vp.test,{instanceB},10,50";
        string[] hosts = ["--host-record=a.apps.vp.test,127.0.0.1", "--host-record=b.apps.vp.test,127.0.0.1"];

        // Twelve rooms, each a number of the seeded domain; every room is called by two members in each phase.
        string tag = Guid.NewGuid().ToString("N")[..6];
        var rooms = new Dictionary<string, string>(); // number -> room
        for (int i = 0; i < 12; i++)
        {
            string room = $"r{i}-{tag}";
            rooms[await CreateNumberAsync(ApplicationNames.Conference, new Dictionary<string, string> { [ApplicationParameters.Room] = room })] = room;
        }
        string calls = Path.Combine(Directory.CreateTempSubdirectory("vp-rooms-").FullName, "numbers.csv");
        await File.WriteAllLinesAsync(calls, ["SEQUENTIAL", .. rooms.Keys.Concat(rooms.Keys).Select(n => n + ";")]);
        int callsPerPhase = rooms.Count * 2;

        Dictionary<string, string> environment = await platform.RouterEnvironmentAsync(routerPort);
        environment["Router__ApplicationService"] = service;
        environment["Sip__Dns__Server"] = $"127.0.0.1:{dnsPort}";
        await using var router = await ServiceProcess.StartAsync("Router", environment);
        var (user, password) = await PlatformUsers.CreateAsync(platform);
        var caller = new SippPhone(platform, user, password, new IPEndPoint(IPAddress.Loopback, routerPort));

        // Phase 1: only instance A is in DNS.
        Dictionary<string, HashSet<string>> first;
        await using (await DnsmasqServer.StartOnPortAsync(dnsPort, [recordA, .. hosts]))
        {
            first = await CallRoomsAsync(caller, calls, callsPerPhase, (instanceA, "A"), (instanceB, "B"));
        }
        Assert.All(rooms.Values, room => Assert.Equal(["A"], first[room]));

        // Phase 2: instance B joins. Every room still meets on one instance; some move to B (rendezvous hashing moves
        // only the rooms the newcomer wins: with equal weights about half of them), none to anywhere else.
        Dictionary<string, HashSet<string>> second;
        await using (await DnsmasqServer.StartOnPortAsync(dnsPort, [recordA, recordB, .. hosts]))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // the router's cached answer (1 s minimum) expires
            second = await CallRoomsAsync(caller, calls, callsPerPhase, (instanceA, "A"), (instanceB, "B"));
        }
        Assert.All(rooms.Values, room => Assert.Single(second[room]));
        Assert.Contains(rooms.Values, room => second[room].Single() == "B"); // fails with probability 2^-12
        Assert.Contains(rooms.Values, room => second[room].Single() == "A");
    }

    /// <summary>
    /// Calls every line of <paramref name="numbers"/> once while SIPp UASes stand in for two Asterisk instances, and
    /// returns, per room, the instances its calls reached.
    /// </summary>
    private static async Task<Dictionary<string, HashSet<string>>> CallRoomsAsync(SippPhone caller, string numbers, int calls,
        params (int Port, string Name)[] instances)
    {
        var logs = instances.ToDictionary(i => i.Name, i => Path.Combine(Path.GetTempPath(), $"vp-room-{i.Name}-{Guid.NewGuid():N}.log"));
        var standIns = instances.Select(i => SippRun.Start("-sf",
            SippScenarios.ApplicationStandIn(new Dictionary<string, string?>
            {
                [ApplicationHeaders.Application] = ApplicationNames.Conference,
                [ApplicationHeaders.ForParameter(ApplicationParameters.Room)] = null, // logged: which room came here
            }),
            "-i", "127.0.0.1", "-p", i.Port.ToString(), "-m", calls.ToString(), "-trace_logs", "-log_file", logs[i.Name])).ToArray();
        try
        {
            await Task.Delay(300);
            await using (SippRun call = caller.Call("unused", calls, callsPerSecond: 10, scenario: SippScenarios.AuthenticatedCallFromList(), options: ["-inf", numbers]))
            {
                AssertAllSucceeded(await call.WaitAsync(TimeSpan.FromSeconds(60)), "members calling their rooms", calls);
            }
            await Task.Delay(500); // the stand-ins' last log lines
        }
        finally
        {
            foreach (SippRun standIn in standIns) await standIn.DisposeAsync();
        }

        var reached = new Dictionary<string, HashSet<string>>();
        int logged = 0;
        foreach (var (name, log) in logs)
        {
            if (!File.Exists(log)) continue;
            foreach (Match room in RoomLogLine().Matches(await File.ReadAllTextAsync(log)))
            {
                if (!reached.TryGetValue(room.Groups[1].Value, out var at)) reached[room.Groups[1].Value] = at = [];
                at.Add(name);
                logged++;
            }
            File.Delete(log);
        }
        Assert.Equal(calls, logged); // every call reached a stand-in and said which room it was for
        return reached;
    }

    [GeneratedRegex(@"X-VP-App-Room=(\S+)")]
    private static partial Regex RoomLogLine();

    [Fact]
    public async Task With_no_application_server_configured_an_application_number_and_a_voicemail_fallback_get_503_application_server_unavailable_with_retry_after()
    {
        Dictionary<string, string> environment = await platform.RouterEnvironmentAsync(FreeSipPort.Next());
        environment["Router__TrustedSources__0"] = "127.0.0.0/8"; // a carrier's call: no digest challenge in the way
        await using var router = await ServiceProcess.StartAsync("Router", environment);
        var at = new IPEndPoint(IPAddress.Loopback, int.Parse(environment["Sip__Port"]));
        string echo = await CreateNumberAsync(ApplicationNames.Echo, new Dictionary<string, string>());
        var (unregistered, _) = await PlatformUsers.CreateAsync(platform); // rings nobody, then its voicemail

        foreach (string callee in new[] { echo, unregistered })
        {
            string final = await InviteAsync(at, callee, router);

            Assert.StartsWith($"SIP/2.0 503 {PlanExecutor.NoApplicationServerReason}\r\n", final);
            Assert.Matches(@"\r\nRetry-After: \d+\r\n", final);
        }
    }

    [Fact]
    public async Task With_the_only_application_server_found_dead_by_its_probes_an_application_call_gets_503_at_once()
    {
        Dictionary<string, string> environment = await platform.RouterEnvironmentAsync(FreeSipPort.Next());
        environment["Router__TrustedSources__0"] = "127.0.0.0/8";
        environment["Router__ApplicationServers__0"] = $"127.0.0.1:{FreeSipPort.Next()}"; // nothing answers there
        environment["Sip__NextHops__Probe__Enabled"] = "true";
        environment["Sip__NextHops__Probe__Interval"] = "00:00:00.200";
        environment["Sip__NextHops__Probe__Timeout"] = "00:00:00.200";
        environment["Sip__NextHops__Probe__FailuresBeforeDown"] = "1";
        await using var router = await ServiceProcess.StartAsync("Router", environment);
        var at = new IPEndPoint(IPAddress.Loopback, int.Parse(environment["Sip__Port"]));
        string echo = await CreateNumberAsync(ApplicationNames.Echo, new Dictionary<string, string>());
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a few probe rounds

        var clock = System.Diagnostics.Stopwatch.StartNew();
        string final = await InviteAsync(at, echo, router);

        Assert.StartsWith($"SIP/2.0 503 {PlanExecutor.NoApplicationServerReason}\r\n", final);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"503 after {clock.Elapsed}");
    }

    /// <summary>A raw INVITE from a carrier to <paramref name="callee"/> of the seeded domain; its final response.</summary>
    private static async Task<string> InviteAsync(IPEndPoint router, string callee, ServiceProcess process)
    {
        using var phone = new UdpPeer();
        phone.Send($"""
            INVITE sip:{callee}@{PlatformFixture.Domain} SIP/2.0
            Via: SIP/2.0/UDP {phone.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport
            From: <sip:carrier@carrier.test>;tag={Guid.NewGuid():N}
            To: <sip:{callee}@{PlatformFixture.Domain}>
            Call-ID: {Guid.NewGuid():N}@127.0.0.1
            CSeq: 1 INVITE
            Contact: <sip:carrier@{phone.EndPoint}>
            Max-Forwards: 70
            Content-Length: 0


            """, router);
        string? response = await phone.ReceiveFinalResponseAsync(TimeSpan.FromSeconds(5));
        Assert.True(response is not null, $"no final response for {callee} within 5 s; router log:\n{process.Output}");
        return response;
    }
}
