using System.Net;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Real calls through the platform the AppHost starts: SIPp UAC (digest-authenticated caller) → proxy → router
/// (registrar lookup, decision from the business-logic API) → proxy (Path) → SIPp UAS registered as the callee.
/// The UAS scenario fails a call unless its INVITE, ACK and BYE each carry a Via of the proxy and of a router.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EndToEndCallTests(PlatformFixture platform)
{
    private const int Calls = 100;
    private const int CallsPerSecond = 20;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Hundred_authenticated_calls_to_a_registered_user_all_complete_through_proxy_and_routers()
    {
        SippPhone caller = await SippPhone.CreateAsync(platform), callee = await SippPhone.CreateAsync(platform);
        SippResult registered = await callee.RegisterAsync();
        Assert.True(registered is { ExitCode: 0, SuccessfulCalls: 1 }, $"REGISTER: {registered}");

        IPEndPoint proxy = platform.SipEndPoint("proxy");
        var (uasScenario, _) = SippScenarios.ThroughHops(proxy, platform.SipEndPoint("router"), platform.SipEndPoint("router2"));
        await using var uas = callee.Answer(uasScenario, Calls);
        await Task.Delay(300);
        await using var uac = caller.Call(callee.User, Calls, CallsPerSecond);

        SippResult uacResult = await uac.WaitAsync(RunLimit);
        SippResult uasResult = await uas.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(uacResult is { ExitCode: 0, SuccessfulCalls: Calls, FailedCalls: 0 }, $"UAC: {uacResult}");
        Assert.True(uasResult is { ExitCode: 0, SuccessfulCalls: Calls, FailedCalls: 0 }, $"UAS: {uasResult}");
    }
}
