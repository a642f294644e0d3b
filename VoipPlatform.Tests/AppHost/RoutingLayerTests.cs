using System.Diagnostics;
using System.Net;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// The routing layer against real SIPp phones, real Redis and the real business-logic API, all started by the
/// AppHost: registrar with digest auth, call plans (voicemail on busy / not registered, parallel forking), and
/// behaviour when the API or a router replica is gone. Asterisk cannot run here: a SIPp UAS on
/// <see cref="PlatformFixture.ApplicationServerPort"/> stands in for the application layer and checks the
/// instruction headers the router sends it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RoutingLayerTests(PlatformFixture platform)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(30);

    private static void AssertAllSucceeded(SippResult result, string what, int calls = 1) =>
        Assert.True(result is { ExitCode: 0, FailedCalls: 0 } && result.SuccessfulCalls == calls, $"{what}: {result}");

    private SippRun StartApplicationStandIn(string application, string mailbox) =>
        SippRun.Start("-sf", SippScenarios.ApplicationStandIn(application, mailbox), "-i", "127.0.0.1",
            "-p", PlatformFixture.ApplicationServerPort.ToString(), "-m", "1");

    [Fact]
    public async Task Register_with_the_right_password_succeeds_and_a_wrong_one_gets_403()
    {
        SippPhone phone = await SippPhone.CreateAsync(platform);

        AssertAllSucceeded(await phone.RegisterAsync(withPassword: "not-the-password", expectedStatus: 403), "wrong password");
        AssertAllSucceeded(await phone.RegisterAsync(), "right password");
    }

    [Fact]
    public async Task Unregistered_callee_lands_on_its_voicemail_with_instruction_headers_for_the_sipp_standing_in_for_asterisk()
    {
        SippPhone caller = await SippPhone.CreateAsync(platform), callee = await SippPhone.CreateAsync(platform);
        AssertAllSucceeded(await callee.RegisterAsync(), "register");
        AssertAllSucceeded(await callee.RegisterAsync(expires: 0), "unregister");

        await using var voicemail = StartApplicationStandIn("voicemail-deposit", callee.User);
        await Task.Delay(300);
        await using var call = caller.Call(callee.User);

        AssertAllSucceeded(await call.WaitAsync(RunLimit), "caller");
        AssertAllSucceeded(await voicemail.WaitAsync(RunLimit), "voicemail stand-in");
    }

    [Fact]
    public async Task Busy_callee_sends_the_call_to_its_voicemail()
    {
        SippPhone caller = await SippPhone.CreateAsync(platform), callee = await SippPhone.CreateAsync(platform);
        AssertAllSucceeded(await callee.RegisterAsync(), "register");

        await using var busy = callee.Answer(SippScenarios.Busy());
        await using var voicemail = StartApplicationStandIn("voicemail-deposit", callee.User);
        await Task.Delay(300);
        await using var call = caller.Call(callee.User);

        AssertAllSucceeded(await call.WaitAsync(RunLimit), "caller");
        AssertAllSucceeded(await busy.WaitAsync(RunLimit), "busy phone");
        AssertAllSucceeded(await voicemail.WaitAsync(RunLimit), "voicemail stand-in");
    }

    [Fact]
    public async Task Two_devices_of_one_user_ring_in_parallel_and_the_one_that_did_not_answer_gets_cancel()
    {
        SippPhone caller = await SippPhone.CreateAsync(platform), desk = await SippPhone.CreateAsync(platform);
        var mobile = new SippPhone(platform, desk.User, desk.Password);
        AssertAllSucceeded(await desk.RegisterAsync(), "register desk phone");
        AssertAllSucceeded(await mobile.RegisterAsync(), "register mobile");

        var (answering, _) = SippScenarios.ThroughHops(platform.SipEndPoint("proxy"), platform.SipEndPoint("router"), platform.SipEndPoint("router2"));
        await using var deskRun = desk.Answer(answering);
        await using var mobileRun = mobile.Answer(SippScenarios.RingingUntilCancelled());
        await Task.Delay(300);
        await using var call = caller.Call(desk.User);

        AssertAllSucceeded(await call.WaitAsync(RunLimit), "caller");
        AssertAllSucceeded(await deskRun.WaitAsync(RunLimit), "desk phone (answers)");
        AssertAllSucceeded(await mobileRun.WaitAsync(RunLimit), "mobile (rings, must be cancelled)");
    }

    [Fact]
    public async Task With_the_business_logic_api_unreachable_a_call_gets_503_with_retry_after_within_2_seconds()
    {
        Dictionary<string, string> environment = await platform.RouterEnvironmentAsync(FreeSipPort.Next());
        foreach (string key in environment.Keys.Where(k => k.StartsWith("services__applayer__")).ToArray()) environment.Remove(key);
        environment["services__applayer__http__0"] = $"http://127.0.0.1:{FreeSipPort.Next()}"; // nothing listens there
        await using var router = await ServiceProcess.StartAsync("Router", environment);
        using var phone = new UdpPeer();

        for (int call = 0; call < 3; call++)
        {
            var clock = Stopwatch.StartNew();
            phone.Send(SipRequests.Invite(phone.EndPoint, $"unknown-{Guid.NewGuid():N}.test"), new IPEndPoint(IPAddress.Loopback, int.Parse(environment["Sip__Port"])));
            string? final = await phone.ReceiveUntilAsync("SIP/2.0 5", TimeSpan.FromSeconds(5));
            clock.Stop();

            Assert.True(final is not null, $"no final response; router log:\n{router.Output}");
            Assert.StartsWith("SIP/2.0 503", final);
            Assert.Contains("Retry-After:", final);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"503 after {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task With_one_of_two_router_replicas_killed_registrations_survive_and_calls_complete()
    {
        await using var replicas = await RouterReplicas.StartAsync(platform);
        SippPhone caller = await SippPhone.CreateAsync(platform, replicas.EdgeEndPoint), callee = await SippPhone.CreateAsync(platform, replicas.EdgeEndPoint);
        AssertAllSucceeded(await callee.RegisterAsync(), "register");

        await replicas.First.KillAsync();

        const int calls = 4; // the proxy alternates routers: half of the calls first meet the dead one
        var (answering, _) = SippScenarios.ThroughHops(replicas.EdgeEndPoint, replicas.SecondEndPoint);
        await using var uas = callee.Answer(answering, calls);
        await Task.Delay(300);
        await using var call = caller.Call(callee.User, calls, callsPerSecond: 2);

        AssertAllSucceeded(await call.WaitAsync(TimeSpan.FromSeconds(45)), "caller", calls);
        AssertAllSucceeded(await uas.WaitAsync(RunLimit), "callee", calls);
    }
}
