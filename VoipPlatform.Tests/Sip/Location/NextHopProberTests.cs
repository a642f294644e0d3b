using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VoipPlatform.Sip.Hosting;
using VoipPlatform.Sip.Location;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Location;

/// <summary>
/// OPTIONS health probes of next hops, run by the host as a service would: a real SIP core on loopback answers, a
/// port where nothing listens does not.
/// </summary>
public sealed class NextHopProberTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static async Task Until(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(Wait);
        while (!condition())
        {
            if (limit.IsCancellationRequested) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_server_that_stops_answering_probes_or_drains_is_taken_out_and_one_that_answers_stays_in()
    {
        await using var live = InProcessHop.Start(new FixedNextHop(new IPEndPoint(IPAddress.Loopback, 9)));
        var dead = new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next());

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sip:NextHops:Probe:Enabled"] = "true",
            ["Sip:NextHops:Probe:Interval"] = "00:00:00.2",
            ["Sip:NextHops:Probe:Timeout"] = "00:00:00.3",
            ["Sip:NextHops:Probe:FailuresBeforeDown"] = "2",
        });
        builder.Services.AddNextHops(builder.Configuration);
        using IHost host = builder.Build();
        NextHopSet routers = host.Services.GetRequiredService<NextHopRegistry>()
            .Create("router", srvName: null, [live.EndPoint.ToString(), dead.ToString()], "router", "sip");
        NextHopTarget liveTarget = routers.Known.Single(t => t.EndPoint.Equals(live.EndPoint));
        NextHopTarget deadTarget = routers.Known.Single(t => t.EndPoint.Equals(dead));
        Assert.True(routers.Selector.IsUsable(deadTarget)); // nothing known against it before probing

        await host.StartAsync();
        try
        {
            await Until(() => !routers.Selector.IsUsable(deadTarget), "the silent server was never taken out");
            Assert.True(routers.Selector.IsUsable(liveTarget));
            for (int call = 0; call < 10; call++) Assert.Equal(live.EndPoint, (await routers.PickAsync())!.EndPoint);

            _ = live.Core.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System); // now it answers probes 503
            await Until(() => !routers.Selector.IsUsable(liveTarget), "the draining server was never taken out");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
