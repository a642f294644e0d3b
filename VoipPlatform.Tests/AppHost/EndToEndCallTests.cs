using System.Net;
using Aspire.Hosting.Testing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Real calls through the platform the AppHost starts: SIPp UAC → proxy → router → SIPp UAS. The UAS scenario
/// fails a call unless its INVITE, ACK and BYE each carry a Via of the proxy and of the router.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EndToEndCallTests(PlatformFixture platform)
{
    private const int Calls = 100;
    private const int CallsPerSecond = 20;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private IPEndPoint SipEndPoint(string resource)
    {
        Uri uri = platform.App.GetEndpoint(resource, "sip");
        return new IPEndPoint(IPAddress.Loopback, uri.Port);
    }

    [Fact]
    public Task Builtin_sipp_uac_calls_all_succeed_through_proxy_and_router() =>
        RunCalls(uacScenario: null);

    [Fact]
    public async Task Uac_honouring_record_route_sends_ack_and_bye_through_both_hops()
    {
        var (_, uacScenario) = SippScenarios.ThroughHops(SipEndPoint("proxy"), SipEndPoint("router"));
        await RunCalls(uacScenario);
    }

    private async Task RunCalls(string? uacScenario)
    {
        IPEndPoint proxy = SipEndPoint("proxy"), router = SipEndPoint("router");
        var (uasScenario, _) = SippScenarios.ThroughHops(proxy, router);
        int uasPort = FreeUdpPort.Next(), uacPort = FreeUdpPort.Next();

        await using var uas = SippRun.Start("-sf", uasScenario, "-i", "127.0.0.1", "-p", uasPort.ToString(), "-m", Calls.ToString());
        await Task.Delay(300);
        string[] uacArguments = uacScenario is null ? ["-sn", "uac"] : ["-sf", uacScenario];
        await using var uac = SippRun.Start([.. uacArguments, $"127.0.0.1:{uasPort}", "-i", "127.0.0.1", "-p", uacPort.ToString(),
            "-rsa", proxy.ToString(), "-m", Calls.ToString(), "-r", CallsPerSecond.ToString()]);

        SippResult uacResult = await uac.WaitAsync(RunLimit);
        SippResult uasResult = await uas.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(uacResult is { ExitCode: 0, SuccessfulCalls: Calls, FailedCalls: 0 }, $"UAC: {uacResult}");
        Assert.True(uasResult is { ExitCode: 0, SuccessfulCalls: Calls, FailedCalls: 0 }, $"UAS: {uasResult}");
    }
}
