using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Location;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Location;

/// <summary>SRV selection and failover against a real DNS server (dnsmasq) on loopback.</summary>
public sealed class ServerLocatorTests : IAsyncLifetime
{
    private const string Service = "_sip._udp.vp.test";
    private DnsmasqServer _dns = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ServerLocator _locator = null!;

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(
            $"--srv-host={Service},a.vp.test,5071,10,75",
            $"--srv-host={Service},b.vp.test,5072,10,25",
            $"--srv-host={Service},c.vp.test,5073,20,100",
            "--host-record=a.vp.test,127.0.0.11",
            "--host-record=b.vp.test,127.0.0.12",
            "--host-record=c.vp.test,127.0.0.13");
        _locator = new ServerLocator(Options.Create(new ServerLocatorOptions
        {
            Server = _dns.EndPoint.ToString(),
            FailedTargetHoldDown = TimeSpan.FromSeconds(30),
        }), _time);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Resolves_every_target_with_its_address_port_priority_and_weight()
    {
        IReadOnlyList<SrvTarget> targets = await _locator.ResolveAsync(Service);
        Assert.Equal(
            ["a.vp.test 127.0.0.11:5071 10/75", "b.vp.test 127.0.0.12:5072 10/25", "c.vp.test 127.0.0.13:5073 20/100"],
            targets.Select(t => $"{t.Host} {t.EndPoint} {t.Priority}/{t.Weight}").Order());
    }

    [Fact]
    public async Task Weights_share_the_load_within_the_best_priority()
    {
        IReadOnlyList<SrvTarget> targets = await _locator.ResolveAsync(Service);
        var picks = Enumerable.Range(0, 1000).Select(_ => _locator.Select(targets)!.Host).ToList();
        int a = picks.Count(h => h == "a.vp.test"), b = picks.Count(h => h == "b.vp.test");
        Assert.Equal(1000, a + b); // priority 20 is never used while priority 10 answers
        Assert.InRange((double)a / b, 3 * 0.9, 3 * 1.1);
    }

    [Fact]
    public async Task Failed_targets_are_skipped_until_their_hold_down_ends()
    {
        IReadOnlyList<SrvTarget> targets = await _locator.ResolveAsync(Service);
        _locator.MarkFailed(targets.Single(t => t.Host == "a.vp.test"));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal("b.vp.test", _locator.Select(targets)!.Host));

        _locator.MarkFailed(targets.Single(t => t.Host == "b.vp.test"));
        Assert.Equal("c.vp.test", _locator.Select(targets)!.Host); // fail over to the next priority

        _locator.MarkFailed(targets.Single(t => t.Host == "c.vp.test"));
        Assert.Null(_locator.Select(targets));

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains(_locator.Select(targets)!.Host, new[] { "a.vp.test", "b.vp.test" });
    }

    [Fact]
    public async Task An_unknown_service_has_no_targets()
    {
        Assert.Empty(await _locator.ResolveAsync("_sip._udp.nowhere.test"));
    }
}
