using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Decisions;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.AppLayer.Infrastructure;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Router.Decisions;

/// <summary>
/// The router's plan executor with a target named by a host (a PBX or carrier the logic API forwards to): located
/// through a real DNS server (dnsmasq), carried out by a real proxy core, answered by a real SIPp UAS.
/// </summary>
public sealed class PlanExecutorTests : IAsyncLifetime
{
    private readonly int _uasPort = FreeSipPort.Next();
    private DnsmasqServer _dns = null!;
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _redisClient = null!;
    private PlanExecutor _plans = null!;
    private SipServerResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(
            "--local=/vp.test/",
            $"--srv-host=_sip._udp.pbx.customer.vp.test,pbx1.customer.vp.test,{_uasPort},10,10",
            "--host-record=pbx1.customer.vp.test,127.0.0.1");
        _redis = await RedisServer.StartAsync(); // the registration store: unused by URI targets, real all the same
        _redisClient = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var dnsOptions = Options.Create(new ServerLocatorOptions { Server = _dns.EndPoint.ToString() });
        var registry = new NextHopRegistry(new ConfigurationBuilder().Build(), Options.Create(new NextHopOptions()), dnsOptions, TimeProvider.System,
            NullLoggerFactory.Instance);
        var routerOptions = Options.Create(new RouterOptions { ApplicationServers = ["127.0.0.1:5999"] });
        _resolver = _dns.CreateResolver();
        _plans = new PlanExecutor(new RegistrationStore(_redisClient, TimeProvider.System), new ApplicationServers(registry, routerOptions), _resolver,
            routerOptions, NullLogger<PlanExecutor>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _redisClient.DisposeAsync();
        await _redis.DisposeAsync();
        await _dns.DisposeAsync();
    }

    /// <summary>The router's policy reduced to the plan: new requests get <paramref name="plan"/>, in-dialog ones follow their route.</summary>
    private sealed class PlanRouter(PlanExecutor plans, SipServerResolver resolver, RoutePlan plan) : ISipRequestRouter
    {
        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context) =>
            context.IsInDialog || request.Method is SipMethod.Ack or SipMethod.Cancel
                ? RoutingDecision.ByRouteOrRequestUri(request, context, resolver)
                : new(plans.ToDecisionAsync(plan, RequestFacts.Read(request, context)));
    }

    [Fact]
    public async Task A_plan_forwarding_to_a_host_name_reaches_the_sipp_uas_found_by_srv()
    {
        var plan = new RoutePlan([new RouteStep([RouteTarget.ForUri("sip:service@pbx.customer.vp.test")])]);
        await using var hop = InProcessHop.Start(new PlanRouter(_plans, _resolver, plan));
        // One hop plays both parts of the through-hops scenarios: the UAS checks that INVITE, ACK and BYE all came
        // through it; the UAC follows its Record-Route. The UAC's Request-URI names nobody: the plan decides.
        var (uasScenario, uacScenario) = SippScenarios.ThroughHops(hop.EndPoint, hop.EndPoint);
        await using var uas = SippRun.Start("-sf", uasScenario, "-i", "127.0.0.1", "-p", _uasPort.ToString(), "-m", "2");
        await Task.Delay(300);
        await using var uac = SippRun.Start("-sf", uacScenario, "127.0.0.1:9", "-rsa", hop.EndPoint.ToString(), "-i", "127.0.0.1",
            "-p", FreeSipPort.Next().ToString(), "-m", "2", "-r", "10");

        SippResult uacResult = await uac.WaitAsync(TimeSpan.FromSeconds(30));
        SippResult uasResult = await uas.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(uacResult.SuccessfulCalls == 2 && uacResult.FailedCalls == 0, uacResult.ToString());
        Assert.True(uasResult.SuccessfulCalls == 2, uasResult.ToString());
    }

    [Fact]
    public async Task A_plan_whose_only_target_locates_nothing_is_answered_404()
    {
        var plan = new RoutePlan([new RouteStep([RouteTarget.ForUri("sip:service@gone.customer.vp.test")])]);
        using var uac = new UdpPeer();
        await using var hop = InProcessHop.Start(new PlanRouter(_plans, _resolver, plan));

        uac.Send(SipRequests.Invite(uac.EndPoint, "vp.test"), hop.EndPoint);

        Assert.StartsWith("SIP/2.0 404 ", await uac.ReceiveFinalResponseAsync(TimeSpan.FromSeconds(5)));
    }
}
