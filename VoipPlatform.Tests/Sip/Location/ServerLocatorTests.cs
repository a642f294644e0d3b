using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Location;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Location;

/// <summary>SRV lookup, selection, failover and TTL caching against a real DNS server (dnsmasq) on loopback.</summary>
public sealed class ServerLocatorTests : IAsyncLifetime
{
    private const string Service = "_sip._udp.vp.test";
    private DnsmasqServer _dns = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ServerLocator _locator = null!;
    private readonly TargetSelector _selector;

    public ServerLocatorTests() => _selector = new TargetSelector(_time, TimeSpan.FromSeconds(30));

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(
            $"--srv-host={Service},a.vp.test,5071,10,75",
            $"--srv-host={Service},b.vp.test,5072,10,25",
            $"--srv-host={Service},c.vp.test,5073,20,100",
            "--host-record=a.vp.test,127.0.0.11",
            "--host-record=b.vp.test,127.0.0.12",
            "--host-record=c.vp.test,127.0.0.13");
        _locator = Locator(_dns.EndPoint);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private ServerLocator Locator(IPEndPoint server) =>
        new(Options.Create(new ServerLocatorOptions { Server = server.ToString(), Timeout = TimeSpan.FromMilliseconds(500) }), _time);

    [Fact]
    public async Task Resolves_every_target_with_its_address_port_priority_and_weight()
    {
        IReadOnlyList<NextHopTarget> targets = await _locator.ResolveAsync(Service);
        Assert.Equal(
            ["a.vp.test 127.0.0.11:5071 10/75", "b.vp.test 127.0.0.12:5072 10/25", "c.vp.test 127.0.0.13:5073 20/100"],
            targets.Select(t => $"{t.Host} {t.EndPoint} {t.Priority}/{t.Weight}").Order());
    }

    [Fact]
    public async Task Weights_share_the_load_within_the_best_priority()
    {
        IReadOnlyList<NextHopTarget> targets = await _locator.ResolveAsync(Service);
        var picks = Enumerable.Range(0, 1000).Select(_ => _selector.Select(targets)!.Host).ToList();
        int a = picks.Count(h => h == "a.vp.test"), b = picks.Count(h => h == "b.vp.test");
        Assert.Equal(1000, a + b); // priority 20 is never used while priority 10 answers
        Assert.InRange((double)a / b, 3 * 0.9, 3 * 1.1);
    }

    [Fact]
    public async Task Failed_targets_are_skipped_until_their_hold_down_ends()
    {
        IReadOnlyList<NextHopTarget> targets = await _locator.ResolveAsync(Service);
        _selector.MarkFailed(targets.Single(t => t.Host == "a.vp.test").EndPoint);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal("b.vp.test", _selector.Select(targets)!.Host));

        _selector.MarkFailed(targets.Single(t => t.Host == "b.vp.test").EndPoint);
        Assert.Equal("c.vp.test", _selector.Select(targets)!.Host); // fail over to the next priority

        _selector.MarkFailed(targets.Single(t => t.Host == "c.vp.test").EndPoint);
        Assert.Null(_selector.Select(targets));
        Assert.Equal(3, _selector.OrderByAffinity(targets, TargetSelector.KeyHash("call"u8)).Length); // held-down targets stay as a last resort

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains(_selector.Select(targets)!.Host, new[] { "a.vp.test", "b.vp.test" });
    }

    [Fact]
    public async Task An_unknown_service_has_no_targets()
    {
        Assert.Empty(await _locator.ResolveAsync("_sip._udp.nowhere.test"));
    }

    [Fact]
    public async Task Answers_are_cached_for_their_ttl_then_asked_again_and_kept_while_the_dns_server_is_down()
    {
        const string service = "_sip._udp.ttl.vp.test";
        int port = FreeSipPort.Next();
        var locator = Locator(new IPEndPoint(IPAddress.Loopback, port));
        string[] Records(string address) => ["--local-ttl=30", $"--srv-host={service},r.vp.test,5070,10,10", $"--host-record=r.vp.test,{address}"];

        await using (await DnsmasqServer.StartOnPortAsync(port, Records("127.0.0.31")))
        {
            Assert.Equal("127.0.0.31:5070", Assert.Single(await locator.ResolveAsync(service)).EndPoint.ToString());
        }
        await using (await DnsmasqServer.StartOnPortAsync(port, Records("127.0.0.32")))
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal("127.0.0.31:5070", Assert.Single(await locator.ResolveAsync(service)).EndPoint.ToString()); // within the TTL: no query

            _time.Advance(TimeSpan.FromSeconds(11));
            Assert.Equal("127.0.0.32:5070", Assert.Single(await locator.ResolveAsync(service)).EndPoint.ToString()); // expired: asked again
        }

        _time.Advance(TimeSpan.FromSeconds(60)); // expired, and the DNS server is gone: the last answer stands in
        Assert.Equal("127.0.0.32:5070", Assert.Single(await locator.ResolveAsync(service)).EndPoint.ToString());
    }

    [Fact]
    public async Task A_failed_lookup_with_no_earlier_answer_is_a_typed_error()
    {
        var locator = Locator(new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next())); // nothing answers there
        await Assert.ThrowsAsync<NextHopLookupException>(async () => await locator.ResolveAsync(Service));
    }
}
