using System.Net;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// A hop told to stop (SIGTERM) keeps serving the calls it carries until their BYE and refuses new ones with 503, so
/// the previous hop fails over; OPTIONS probes see the 503 too. Real core on loopback, raw UDP peers as the UAs.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly UdpPeer _caller = new();
    private readonly UdpPeer _callee = new();
    private InProcessHop _hop = null!;

    public Task InitializeAsync()
    {
        _hop = InProcessHop.Start(new FixedNextHop(_callee.EndPoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hop.DisposeAsync();
        _caller.Dispose();
        _callee.Dispose();
    }

    private string Options() => $"""
        OPTIONS sip:{_hop.EndPoint} SIP/2.0
        Via: SIP/2.0/UDP {_caller.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport
        From: <sip:probe@{_caller.EndPoint}>;tag=p1
        To: <sip:{_hop.EndPoint}>
        Call-ID: {Guid.NewGuid():N}
        CSeq: 1 OPTIONS
        Max-Forwards: 70
        Content-Length: 0


        """;

    /// <summary>The caller's INVITE through the hop, answered 200 by the callee: the call is up.</summary>
    private async Task<string> EstablishCallAsync()
    {
        string invite = SipRequests.Invite(_caller.EndPoint, "vp.test");
        _caller.Send(invite, _hop.EndPoint);
        string forwarded = await _callee.ReceiveUntilAsync("INVITE", Wait) ?? throw new TimeoutException("INVITE not forwarded");
        _callee.Send(SipRequests.Answer(forwarded, "200 OK", tag: "callee"), _hop.EndPoint);
        string ok = await _caller.ReceiveUntilAsync("SIP/2.0 200", Wait) ?? throw new TimeoutException("200 not forwarded");
        return ok;
    }

    private static string Bye(string ok, IPEndPoint caller)
    {
        string[] lines = ok.Split("\r\n");
        string Header(string name) => lines.First(l => l.StartsWith(name + ":"));
        return $"""
            BYE sip:bob@vp.test SIP/2.0
            Via: SIP/2.0/UDP {caller};branch=z9hG4bK-{Guid.NewGuid():N};rport
            {Header("From")}
            {Header("To")}
            {Header("Call-ID")}
            CSeq: 2 BYE
            Max-Forwards: 70
            Content-Length: 0


            """;
    }

    [Fact]
    public async Task Options_to_the_hop_itself_is_answered_200_and_503_once_it_drains()
    {
        _caller.Send(Options(), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 200", await _caller.ReceiveAsync(Wait));

        Assert.True(await _hop.Core.DrainAsync(TimeSpan.FromSeconds(2), TimeProvider.System)); // nothing under way
        _caller.Send(Options(), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 503", await _caller.ReceiveAsync(Wait));
        Assert.Null(await _callee.ReceiveAsync(TimeSpan.FromMilliseconds(200))); // answered here, never routed
    }

    [Fact]
    public async Task A_draining_hop_refuses_new_calls_but_carries_the_established_one_to_its_bye_and_only_then_finishes()
    {
        string ok = await EstablishCallAsync();
        Assert.Equal(1, _hop.Core.ActiveDialogs);

        Task<bool> drained = _hop.Core.DrainAsync(TimeSpan.FromSeconds(20), TimeProvider.System);
        _caller.Send(SipRequests.Invite(_caller.EndPoint, "vp.test"), _hop.EndPoint);
        string? refused = await _caller.ReceiveUntilAsync("SIP/2.0 503", Wait);
        Assert.NotNull(refused);
        Assert.Contains("Retry-After:", refused);
        Assert.False(drained.IsCompleted, "the drain ended while a call was still up");

        _caller.Send(Bye(ok, _caller.EndPoint), _hop.EndPoint);
        string bye = await _callee.ReceiveUntilAsync("BYE", Wait) ?? throw new TimeoutException("BYE not forwarded while draining");
        Assert.False(drained.IsCompleted, "the drain ended before the BYE was answered");
        _callee.Send(SipRequests.Answer(bye, "200 OK", tag: "callee"), _hop.EndPoint);
        Assert.NotNull(await _caller.ReceiveUntilAsync("SIP/2.0 200", Wait));

        Assert.True(await drained.WaitAsync(Wait));
        Assert.Equal(0, _hop.Core.ActiveDialogs);
    }

    [Fact]
    public async Task A_drain_gives_up_at_its_limit_when_a_call_never_ends()
    {
        await EstablishCallAsync();
        Assert.False(await _hop.Core.DrainAsync(TimeSpan.FromMilliseconds(500), TimeProvider.System));
    }
}
