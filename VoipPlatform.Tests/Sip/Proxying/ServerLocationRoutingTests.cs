using System.Net;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// A proxy core forwarding to Request-URI and Route hosts located through a real DNS server (dnsmasq): the request
/// reaches the server a name stands for, fails over between SRV targets on silence and on 503, and a name that
/// resolves outside the egress allow-list or to nothing is answered, not forwarded.
/// </summary>
public sealed class ServerLocationRoutingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly UdpPeer _uac = new();
    private readonly UdpPeer _main = new();
    private readonly UdpPeer _backup = new();
    private DnsmasqServer _dns = null!;
    private InProcessHop _hop = null!;

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(
            "--local=/vp.test/",
            "--host-record=pbx.vp.test,127.0.0.1",
            "--host-record=outside.vp.test,192.0.2.1",
            $"--srv-host=_sip._udp.carrier.vp.test,main.vp.test,{_main.Port},10,10",
            $"--srv-host=_sip._udp.carrier.vp.test,backup.vp.test,{_backup.Port},20,10",
            "--host-record=main.vp.test,127.0.0.1",
            "--host-record=backup.vp.test,127.0.0.1");
        var resolver = _dns.CreateResolver(TimeSpan.FromMilliseconds(500));
        _hop = InProcessHop.Start(new LocatingNextHop(resolver));
    }

    public async Task DisposeAsync()
    {
        await _hop.DisposeAsync();
        await _dns.DisposeAsync();
        _uac.Dispose();
        _main.Dispose();
        _backup.Dispose();
    }

    private string Invite(string requestUri, string? route = null) => $"""
        INVITE {requestUri} SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-{Guid.NewGuid():N};rport
        From: <sip:alice@vp.test>;tag=a1
        To: <sip:bob@vp.test>
        Call-ID: {Guid.NewGuid():N}@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:alice@127.0.0.1:{_uac.Port}>
        {(route is null ? "" : $"Route: <{route}>\r\n")}Max-Forwards: 70
        Content-Length: 0


        """;

    [Fact]
    public async Task A_request_uri_naming_a_host_reaches_its_address()
    {
        _uac.Send(Invite($"sip:bob@pbx.vp.test:{_main.Port}"), _hop.EndPoint);

        string? forwarded = await _main.ReceiveUntilAsync("INVITE ", Wait);
        Assert.StartsWith($"INVITE sip:bob@pbx.vp.test:{_main.Port} SIP/2.0\r\n", forwarded);
        _main.Send(SipRequests.Answer(forwarded!, "200 OK"), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 200 OK", await _uac.ReceiveFinalResponseAsync(Wait));
    }

    [Fact]
    public async Task A_route_naming_a_host_is_followed_to_its_address()
    {
        _uac.Send(Invite("sip:bob@127.0.0.9:5999", $"sip:pbx.vp.test:{_main.Port};lr"), _hop.EndPoint);

        string? forwarded = await _main.ReceiveUntilAsync("INVITE ", Wait);
        Assert.StartsWith("INVITE sip:bob@127.0.0.9:5999 SIP/2.0\r\n", forwarded);
    }

    [Fact]
    public async Task A_silent_srv_target_is_left_for_the_next_priority_and_held_down()
    {
        _uac.Send(Invite("sip:bob@carrier.vp.test"), _hop.EndPoint);

        Assert.NotNull(await _main.ReceiveUntilAsync("INVITE ", Wait)); // tried first, never answers
        string? failedOver = await _backup.ReceiveUntilAsync("INVITE ", Wait);
        Assert.NotNull(failedOver);
        _backup.Send(SipRequests.Answer(failedOver!, "200 OK"), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 200 OK", await _uac.ReceiveFinalResponseAsync(Wait));

        // The silent one is held down: the next call goes straight to the backup.
        _uac.Send(Invite("sip:carol@carrier.vp.test"), _hop.EndPoint);
        Assert.NotNull(await _backup.ReceiveUntilAsync(m => m.StartsWith("INVITE sip:carol@", StringComparison.Ordinal), Wait));
        Assert.DoesNotContain(await _main.DrainAsync(TimeSpan.FromMilliseconds(200)), m => m.StartsWith("INVITE sip:carol@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_503_from_the_first_srv_target_fails_over_to_the_next()
    {
        _uac.Send(Invite("sip:bob@carrier.vp.test"), _hop.EndPoint);

        string? first = await _main.ReceiveUntilAsync("INVITE ", Wait);
        _main.Send(SipRequests.Answer(first!, "503 Service Unavailable"), _hop.EndPoint);
        string? second = await _backup.ReceiveUntilAsync("INVITE ", Wait);
        Assert.NotNull(second);
        _backup.Send(SipRequests.Answer(second!, "486 Busy Here"), _hop.EndPoint);

        Assert.StartsWith("SIP/2.0 486 Busy Here", await _uac.ReceiveFinalResponseAsync(Wait));
    }

    [Fact]
    public async Task A_name_resolving_outside_the_allow_list_is_refused_like_an_address()
    {
        _uac.Send(Invite("sip:bob@outside.vp.test"), _hop.EndPoint);

        Assert.StartsWith("SIP/2.0 403 Destination not allowed", await _uac.ReceiveFinalResponseAsync(Wait));
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_answered_404()
    {
        _uac.Send(Invite("sip:bob@nowhere.vp.test"), _hop.EndPoint);

        Assert.StartsWith($"SIP/2.0 404 {SipServerResolver.UnresolvableReason}", await _uac.ReceiveFinalResponseAsync(Wait));
    }
}
