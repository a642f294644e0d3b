using System.Net;
using VoipPlatform.Proxy.Routing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Proxy.Routing;

/// <summary>
/// The edge proxy finding its routers by DNS SRV against a real DNS server (dnsmasq on loopback), with raw UDP peers
/// standing for the routers: load spread by weight, and a dead router skipped within the answer timeout.
/// </summary>
public sealed class RouterSetTests : IAsyncLifetime
{
    private const string Service = "_sip._udp.router.vp.test";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly UdpPeer _routerA = new("127.0.0.21");
    private readonly UdpPeer _routerB = new("127.0.0.22");
    private readonly UdpPeer _uac = new();
    private DnsmasqServer _dns = null!;

    public async Task InitializeAsync() =>
        _dns = await DnsmasqServer.StartAsync(
            $"--srv-host={Service},a.router.vp.test,{_routerA.Port},10,50",
            $"--srv-host={Service},b.router.vp.test,{_routerB.Port},10,50",
            $"--srv-host={Service},dead.router.vp.test,9,5,100", // tried first (lower priority value), answers nothing
            "--host-record=a.router.vp.test,127.0.0.21",
            "--host-record=b.router.vp.test,127.0.0.22",
            "--host-record=dead.router.vp.test,127.0.0.23");

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        _routerA.Dispose();
        _routerB.Dispose();
        _uac.Dispose();
    }

    private InProcessHop StartEdge(TimeSpan answerTimeout) =>
        InProcessHop.Start(new EdgeRequestRouter(Routers.FromDns(_dns.EndPoint, Service, answerTimeout)));

    /// <summary>
    /// A router stand-in: answers every INVITE with 100 Trying (as routers do at once) and notes when each Call-ID
    /// first arrived.
    /// </summary>
    private static async Task<Dictionary<string, DateTime>> AnswerTryingAsync(UdpPeer router, TimeSpan window, Action? arrived = null)
    {
        var calls = new Dictionary<string, DateTime>();
        using var stop = new CancellationTokenSource(window);
        while (await router.ReceiveAsync(stop.Token) is { } message)
        {
            if (!message.StartsWith("INVITE")) continue;
            string[] lines = message.Split("\r\n");
            if (calls.TryAdd(lines.First(l => l.StartsWith("Call-ID:")), DateTime.UtcNow)) arrived?.Invoke();
            string[] sentBy = lines.First(l => l.StartsWith("Via:")).Split(' ')[2].Split(';')[0].Split(':');
            router.Send(SipRequests.Answer(message, "100 Trying"), new IPEndPoint(IPAddress.Parse(sentBy[0]), int.Parse(sentBy[1])));
        }
        return calls;
    }

    [Fact]
    public async Task A_dead_router_is_skipped_and_the_live_ones_share_new_calls_by_weight()
    {
        await using var edge = StartEdge(answerTimeout: TimeSpan.FromMilliseconds(600));
        var atA = AnswerTryingAsync(_routerA, TimeSpan.FromSeconds(3));
        var atB = AnswerTryingAsync(_routerB, TimeSpan.FromSeconds(3));

        const int calls = 40;
        for (int call = 0; call < calls; call++) _uac.Send(SipRequests.Invite(_uac.EndPoint, "vp.test"), edge.EndPoint);

        // Each call first meets the dead router (priority 5), then after 0.6 s of silence the one of the equal-weight
        // live pair its Call-ID hashes to, which answers at once and keeps it.
        var a = await atA;
        var b = await atB;
        Assert.True(a.Count + b.Count == calls && !a.Keys.Intersect(b.Keys).Any(), $"A got {a.Count}, B got {b.Count}");
        Assert.InRange(a.Count, 10, 30); // about half each (a fair coin leaves this range once in a thousand runs)
    }

    [Fact]
    public async Task A_router_that_stayed_silent_is_held_down_so_the_next_call_goes_straight_to_a_live_one()
    {
        await using var edge = StartEdge(answerTimeout: TimeSpan.FromMilliseconds(600));
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var atA = AnswerTryingAsync(_routerA, TimeSpan.FromSeconds(6), () => firstArrived.TrySetResult());
        var atB = AnswerTryingAsync(_routerB, TimeSpan.FromSeconds(6), () => firstArrived.TrySetResult());

        DateTime firstSent = DateTime.UtcNow;
        _uac.Send(SipRequests.Invite(_uac.EndPoint, "vp.test"), edge.EndPoint);
        await firstArrived.Task.WaitAsync(Wait); // the first call waited out the dead router, which is now held down
        DateTime secondSent = DateTime.UtcNow;
        _uac.Send(SipRequests.Invite(_uac.EndPoint, "vp.test"), edge.EndPoint);

        var arrivals = (await atA).Concat(await atB).Select(call => call.Value).Order().ToArray();
        Assert.Equal(2, arrivals.Length);
        Assert.True(arrivals[0] - firstSent >= TimeSpan.FromMilliseconds(550), "the first call should have waited out the dead router");
        Assert.True(arrivals[1] - secondSent < TimeSpan.FromMilliseconds(450), $"the second call took {arrivals[1] - secondSent}");
    }
}
