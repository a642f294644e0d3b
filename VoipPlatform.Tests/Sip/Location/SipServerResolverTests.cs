using System.Net;
using System.Text;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Location;

/// <summary>
/// Locating the server of a SIP URI (RFC 3263 section 4) against a real DNS server (dnsmasq) on loopback: addresses as
/// they are, names by SRV then A/AAAA, the transport and port a URI implies, and the answer for a name that locates
/// nothing.
/// </summary>
public sealed class SipServerResolverTests : IAsyncLifetime
{
    private DnsmasqServer _dns = null!;
    private SipServerResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(
            "--local=/vp.test/", // names of the zone it has no record of are NXDOMAIN, not REFUSED
            "--host-record=pbx.vp.test,127.0.0.21",
            "--host-record=v6.vp.test,::1",
            "--srv-host=_sip._udp.srv.vp.test,backup.vp.test,5082,20,10",
            "--srv-host=_sip._udp.srv.vp.test,main.vp.test,5081,10,10",
            "--srv-host=_sip._tcp.tcponly.vp.test,main.vp.test,5083,10,10",
            "--srv-host=_sips._tcp.secure.vp.test,main.vp.test,5091,10,10",
            "--host-record=main.vp.test,127.0.0.22",
            "--host-record=backup.vp.test,127.0.0.23");
        _resolver = _dns.CreateResolver();
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();


    private async Task<SipServers> ResolveAsync(string uri) => await _resolver.ResolveAsync(Encoding.ASCII.GetBytes(uri), 1);

    [Fact]
    public async Task A_name_without_srv_is_looked_up_by_a_on_the_default_port()
    {
        SipServers servers = await ResolveAsync("sip:bob@pbx.vp.test");

        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.21"), 5060)], servers.EndPoints);
        Assert.Null(servers.Transport);
    }

    [Fact]
    public async Task An_ipv6_only_name_is_located_by_aaaa_on_the_explicit_port()
    {
        SipServers servers = await ResolveAsync("sip:bob@v6.vp.test:5070");

        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 5070)], servers.EndPoints);
    }

    [Fact]
    public async Task Srv_targets_come_in_priority_order_and_an_explicit_port_skips_srv()
    {
        SipServers servers = await ResolveAsync("sip:srv.vp.test");
        Assert.Equal(["127.0.0.22:5081", "127.0.0.23:5082"], servers.EndPoints.Select(e => e.ToString()));

        SipServers noSrv = await ResolveAsync("sip:srv.vp.test:5999");
        Assert.False(noSrv.IsLocated); // srv.vp.test has no A record: with a port only A/AAAA are asked
    }

    [Fact]
    public async Task A_failed_srv_target_is_tried_last_while_held_down()
    {
        SipServers first = await ResolveAsync("sip:srv.vp.test");
        first.ToBranch().OnServerFailure!(first.EndPoints[0], SipStatus.ServiceUnavailable);

        SipServers next = await ResolveAsync("sip:srv.vp.test");

        Assert.Equal(["127.0.0.23:5082", "127.0.0.22:5081"], next.EndPoints.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_service_found_only_over_tcp_must_go_over_tcp()
    {
        SipServers servers = await ResolveAsync("sip:tcponly.vp.test");

        Assert.Equal(SipProtocol.Tcp, servers.Transport);
        Assert.Equal(["127.0.0.22:5083"], servers.EndPoints.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Sips_asks_for_the_sips_service_requires_tls_and_names_the_domain_for_the_certificate()
    {
        SipServers secure = await ResolveAsync("sips:bob@secure.vp.test");
        Assert.Equal(SipProtocol.Tls, secure.Transport);
        Assert.Equal("secure.vp.test", secure.ServerName);
        Assert.Equal(["127.0.0.22:5091"], secure.EndPoints.Select(e => e.ToString()));

        SipServers plain = await ResolveAsync("sip:bob@pbx.vp.test;transport=tls");
        Assert.Equal(SipProtocol.Tls, plain.Transport);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.21"), SipServerResolver.DefaultTlsPort)], plain.EndPoints);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_answered_404()
    {
        SipServers servers = await ResolveAsync("sip:bob@nowhere.vp.test");

        Assert.False(servers.IsLocated);
        Assert.Equal(SipStatus.NotFound, servers.Status);
        Assert.Equal(SipServerResolver.UnresolvableReason, servers.Reason);
    }

    [Fact]
    public async Task A_dns_server_that_does_not_answer_is_answered_503()
    {
        DnsmasqServer stopped = await DnsmasqServer.StartAsync($"--host-record=pbx.vp.test,127.0.0.21");
        await stopped.DisposeAsync(); // nothing answers on its port any more

        SipServers servers = await stopped.CreateResolver().ResolveAsync("sip:bob@pbx.vp.test"u8, 1);

        Assert.Equal(SipStatus.ServiceUnavailable, servers.Status);
    }

    [Fact]
    public async Task An_address_is_used_as_it_is_without_waiting_for_dns()
    {
        ValueTask<SipServers> located = _resolver.ResolveAsync("sip:bob@127.0.0.5:5099;transport=udp"u8, 1);

        Assert.True(located.IsCompletedSuccessfully);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.5"), 5099)], (await located).EndPoints);
    }
}
