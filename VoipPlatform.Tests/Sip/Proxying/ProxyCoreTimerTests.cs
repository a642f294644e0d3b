using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>Transaction timers on virtual time (FakeTimeProvider): retransmission, timeout, and no state left behind.</summary>
public sealed class ProxyCoreTimerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Unanswered_invite_is_retransmitted_then_times_out_with_408_and_leaves_no_state()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var uac = new UdpPeer();
        using var silent = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(silent.EndPoint), time);
        string callId = $"timer-{Guid.NewGuid():N}";
        string invite = $"""
            INVITE sip:bob@127.0.0.1:5999 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{uac.Port};branch=z9hG4bK-timer-1
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>
            Call-ID: {callId}
            CSeq: 1 INVITE
            Max-Forwards: 70
            Content-Length: 0


            """;
        uac.Send(invite, hop.EndPoint);
        Assert.NotNull(await silent.ReceiveUntilAsync("INVITE", Wait));
        Assert.StartsWith("SIP/2.0 100", await uac.ReceiveAsync(Wait));

        // Timer A: first retransmission after T1 (500 ms), the next after 2·T1.
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.NotNull(await silent.ReceiveUntilAsync("INVITE", Wait));
        time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.NotNull(await silent.ReceiveUntilAsync("INVITE", Wait));

        // Timer B: 64·T1 after sending, the upstream gets 408.
        string? timeout = null;
        for (int step = 0; step < 40 && timeout is null; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            timeout = await uac.ReceiveUntilAsync("SIP/2.0 408", TimeSpan.FromMilliseconds(100));
        }
        Assert.NotNull(timeout);
        Assert.Contains("CSeq: 1 INVITE", timeout);

        // Without an ACK, timer G resends the 408 and timer H ends the transaction; then nothing is held.
        await WaitUntil(() =>
        {
            time.Advance(TimeSpan.FromSeconds(5));
            return hop.Core.TransactionCount == 0;
        });
        Assert.Equal(0, hop.Core.TransactionCount);
    }

    [Fact]
    public async Task Completed_transactions_linger_for_their_timers_then_leave_no_state()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        DateTimeOffset start = time.GetUtcNow();
        using var uac = new UdpPeer();
        using var next = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(next.EndPoint), time);
        string callId = $"linger-{Guid.NewGuid():N}";

        // A non-INVITE answered 200 (server timer J, client timer K) ...
        uac.Send($"""
            OPTIONS sip:bob@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{uac.Port};branch=z9hG4bK-linger-1
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>
            Call-ID: {callId}-1
            CSeq: 1 OPTIONS
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);
        string options = (await next.ReceiveUntilAsync("OPTIONS", Wait))!;
        next.Send(SipRequests.Answer(options, "200 OK"), hop.EndPoint);
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 200", Wait));

        // ... and an INVITE refused 486 and ACKed (server timer I, client timer D).
        uac.Send($"""
            INVITE sip:bob@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{uac.Port};branch=z9hG4bK-linger-2
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>
            Call-ID: {callId}-2
            CSeq: 1 INVITE
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);
        string invite = (await next.ReceiveUntilAsync("INVITE", Wait))!;
        next.Send(SipRequests.Answer(invite, "486 Busy Here"), hop.EndPoint);
        Assert.NotNull(await next.ReceiveUntilAsync("ACK", Wait));
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 486", Wait));
        uac.Send($"""
            ACK sip:bob@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{uac.Port};branch=z9hG4bK-linger-2
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>;tag=b2
            Call-ID: {callId}-2
            CSeq: 1 ACK
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);

        // The transactions stay while retransmissions may still come...
        await Task.Delay(200);
        Assert.True(hop.Core.TransactionCount > 0);
        // ...and are gone once the longest of J (64·T1 = 32 s), K, I (T4) and D (32 s) has run.
        await WaitUntil(() =>
        {
            time.Advance(TimeSpan.FromSeconds(2));
            return hop.Core.TransactionCount == 0;
        });
        Assert.Equal(0, hop.Core.TransactionCount);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(32), "no transaction may end before its linger timer");
    }

    /// <summary>Answers every request itself with 200 (as a stateless UAS when asked to) and counts what it was asked.</summary>
    private sealed class AnsweringRouter(bool stateless = false) : ISipRequestRouter
    {
        public int Asked;

        public ValueTask<RoutingDecision> RouteAsync(VoipPlatform.Sip.Messages.SipMessage request, RoutingContext context)
        {
            Interlocked.Increment(ref Asked);
            RoutingDecision answer = RoutingDecision.Respond(200, null, []);
            return stateless ? answer.AsStateless() : answer;
        }
    }

    private static string Register(int port) => $"""
        REGISTER sip:127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-register-1
        From: <sip:alice@127.0.0.1>;tag=a1
        To: <sip:alice@127.0.0.1>
        Call-ID: register-{Guid.NewGuid():N}
        CSeq: 1 REGISTER
        Max-Forwards: 70
        Contact: <sip:alice@127.0.0.1:{port}>
        Content-Length: 0


        """;

    [Fact]
    public async Task A_stateless_answer_keeps_no_transaction_and_a_retransmission_is_decided_anew()
    {
        using var uac = new UdpPeer();
        var router = new AnsweringRouter(stateless: true);
        await using var hop = InProcessHop.Start(router, new FakeTimeProvider(DateTimeOffset.UtcNow));
        string register = Register(uac.Port);

        uac.Send(register, hop.EndPoint);
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 200", Wait));
        await WaitUntil(() => hop.Core.TransactionCount == 0); // virtual time stands still: no timer ended it
        Assert.Equal(0, hop.Core.TransactionCount);

        uac.Send(register, hop.EndPoint); // a retransmission
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 200", Wait));
        Assert.Equal(2, router.Asked);
    }

    [Fact]
    public async Task A_configured_timer_j_ends_completed_non_invite_transactions_sooner_and_absorbs_retransmissions_until_then()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        DateTimeOffset start = time.GetUtcNow();
        using var uac = new UdpPeer();
        var router = new AnsweringRouter();
        var options = new SipProxyOptions { Timers = { TimerJ = TimeSpan.FromSeconds(5) } };
        await using var hop = InProcessHop.Start(router, time, options: options);
        string register = Register(uac.Port);

        uac.Send(register, hop.EndPoint);
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 200", Wait));
        uac.Send(register, hop.EndPoint); // a retransmission: answered again from the transaction, not routed again
        Assert.NotNull(await uac.ReceiveUntilAsync("SIP/2.0 200", Wait));
        Assert.Equal(1, router.Asked);
        Assert.Equal(1, hop.Core.TransactionCount);

        await WaitUntil(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return hop.Core.TransactionCount == 0;
        });
        Assert.Equal(0, hop.Core.TransactionCount);
        TimeSpan lived = time.GetUtcNow() - start;
        Assert.InRange(lived, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8)); // J, not 64·T1 (32 s)
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 250 && !condition(); i++) await Task.Delay(20);
    }
}
