using System.Net;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// Forking plans and asynchronous decisions in the proxy core (RFC 3261 sections 16.5-16.7), on real loopback
/// sockets: a raw UAC upstream, two raw UAS peers as the branches. Timers run on virtual time.
/// </summary>
public sealed class ProxyCoreForkingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private static readonly int[] BusyOrTimeout = [SipStatus.RequestTimeout, SipStatus.TemporarilyUnavailable, SipStatus.BusyHere];
    private readonly UdpPeer _uac = new();
    private readonly UdpPeer _a = new();
    private readonly UdpPeer _b = new();
    private readonly FakeTimeProvider _time = new();
    private readonly PlanRouter _router = new();
    private InProcessHop _hop = null!;
    private readonly string _callId = $"{Guid.NewGuid():N}@127.0.0.1";

    public Task InitializeAsync()
    {
        _hop = InProcessHop.Start(_router, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hop.DisposeAsync();
        _uac.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>Answers every request with the decision the test set, at once or when the test completes it.</summary>
    private sealed class PlanRouter : ISipRequestRouter
    {
        public Func<RoutingDecision> Decide { get; set; } = () => RoutingDecision.Reject(SipStatus.NotFound);
        public TaskCompletionSource<RoutingDecision>? Pending { get; set; }
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
        {
            Asked.TrySetResult();
            return Pending is { } pending ? new ValueTask<RoutingDecision>(pending.Task) : Decide();
        }
    }

    private string Invite(string method = "INVITE") => $"""
        {method} sip:bob@example.test SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-fork-1;rport
        From: <sip:alice@example.test>;tag=a1
        To: <sip:bob@example.test>
        Call-ID: {_callId}
        CSeq: 1 {method}
        Contact: <sip:alice@127.0.0.1:{_uac.Port}>
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static ForkStep Step(TimeSpan timeout, params ForkBranch[] branches) => new(branches, timeout, BusyOrTimeout);

    [Fact]
    public async Task Parallel_branches_ring_together_and_the_first_200_cancels_the_other()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([Step(TimeSpan.Zero,
            new ForkBranch(_a.EndPoint, $"sip:bob@{_a.EndPoint}", headers: [new SipHeader("X-Branch", "a")]),
            new ForkBranch(_b.EndPoint, $"sip:bob@{_b.EndPoint}", headers: [new SipHeader("X-Branch", "b")]))]));

        _uac.Send(Invite(), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("INVITE", Wait))!;
        string atB = (await _b.ReceiveUntilAsync("INVITE", Wait))!;
        Assert.StartsWith($"INVITE sip:bob@{_a.EndPoint} SIP/2.0", atA);
        Assert.Contains("X-Branch: a\r\n", atA);
        Assert.StartsWith($"INVITE sip:bob@{_b.EndPoint} SIP/2.0", atB);
        Assert.Contains("X-Branch: b\r\n", atB);

        _b.Send(SipRequests.Answer(atB, "180 Ringing", "b"), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 180", await _uac.ReceiveUntilAsync("SIP/2.0 180", Wait));
        _a.Send(SipRequests.Answer(atA, "200 OK", "a"), _hop.EndPoint);

        string ok = (await _uac.ReceiveUntilAsync("SIP/2.0 2", Wait))!;
        Assert.Contains("tag=a", ok);
        string cancel = (await _b.ReceiveUntilAsync("CANCEL", Wait))!;
        Assert.StartsWith($"CANCEL sip:bob@{_b.EndPoint} SIP/2.0", cancel);
        Assert.Null(await _a.ReceiveUntilAsync("CANCEL", TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Busy_first_step_fails_over_to_the_next_and_the_caller_never_sees_the_486()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            Step(TimeSpan.Zero, new ForkBranch(_a.EndPoint)),
            Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint, headers: [new SipHeader("X-VP-App", "voicemail-deposit")]))]));

        _uac.Send(Invite(), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("INVITE", Wait))!;
        _a.Send(SipRequests.Answer(atA, "486 Busy Here", "a"), _hop.EndPoint);
        Assert.StartsWith("ACK", await _a.ReceiveUntilAsync("ACK", Wait)); // hop-by-hop ACK for the 486

        string atB = (await _b.ReceiveUntilAsync("INVITE", Wait))!;
        Assert.Contains("X-VP-App: voicemail-deposit\r\n", atB);
        _b.Send(SipRequests.Answer(atB, "200 OK", "b"), _hop.EndPoint);

        List<string> upstream = await _uac.DrainAsync(TimeSpan.FromMilliseconds(500));
        Assert.Contains(upstream, m => m.StartsWith("SIP/2.0 200") && m.Contains("tag=b"));
        Assert.DoesNotContain(upstream, m => m.StartsWith("SIP/2.0 486"));
    }

    [Fact]
    public async Task Step_timeout_cancels_the_ringing_branch_and_moves_on()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            Step(TimeSpan.FromSeconds(20), new ForkBranch(_a.EndPoint)),
            Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite(), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("INVITE", Wait))!;
        _a.Send(SipRequests.Answer(atA, "180 Ringing", "a"), _hop.EndPoint);
        Assert.NotNull(await _uac.ReceiveUntilAsync("SIP/2.0 180", Wait));
        Assert.Null(await _b.ReceiveUntilAsync("INVITE", TimeSpan.FromMilliseconds(200)));

        _time.Advance(TimeSpan.FromSeconds(20));
        string cancel = (await _a.ReceiveUntilAsync("CANCEL", Wait))!;
        _a.Send(SipRequests.Answer(cancel, "200 OK", "a"), _hop.EndPoint);
        _a.Send(SipRequests.Answer(atA, "487 Request Terminated", "a"), _hop.EndPoint);

        Assert.NotNull(await _b.ReceiveUntilAsync("INVITE", Wait));
        Assert.Null(await _uac.ReceiveUntilAsync("SIP/2.0 487", TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_silent_invite_branch_is_abandoned_after_the_answer_timeout_and_the_next_step_runs()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([new ForkBranch(_a.EndPoint)], TimeSpan.Zero, BusyOrTimeout, AnswerTimeout: TimeSpan.FromSeconds(2)),
            Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite(), _hop.EndPoint);
        Assert.NotNull(await _a.ReceiveUntilAsync("INVITE", Wait)); // and A never answers
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _b.ReceiveUntilAsync("INVITE", TimeSpan.FromMilliseconds(200)));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(await _b.ReceiveUntilAsync("INVITE", Wait));
    }

    [Fact]
    public async Task A_slow_non_invite_branch_is_not_abandoned_by_the_answer_timeout()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([new ForkBranch(_a.EndPoint)], TimeSpan.Zero, BusyOrTimeout, AnswerTimeout: TimeSpan.FromSeconds(2)),
            Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite("REGISTER"), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("REGISTER", Wait))!;
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(await _b.ReceiveUntilAsync("REGISTER", TimeSpan.FromMilliseconds(300)));

        _a.Send(SipRequests.Answer(atA, "200 OK", "a"), _hop.EndPoint);
        Assert.NotNull(await _uac.ReceiveUntilAsync("SIP/2.0 200", Wait));
    }

    [Fact]
    public async Task An_ack_relayed_without_state_follows_the_first_branch_of_a_plan()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([Step(TimeSpan.Zero, new ForkBranch(_a.EndPoint)), Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite("ACK").Replace("To: <sip:bob@example.test>", "To: <sip:bob@example.test>;tag=b2"), _hop.EndPoint);

        Assert.NotNull(await _a.ReceiveUntilAsync("ACK", Wait));
    }

    [Fact]
    public async Task A_step_without_branches_fails_over_as_480()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            Step(TimeSpan.Zero),
            Step(TimeSpan.Zero, new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite(), _hop.EndPoint);

        Assert.NotNull(await _b.ReceiveUntilAsync("INVITE", Wait));
    }

    [Fact]
    public async Task When_every_branch_fails_the_caller_gets_the_best_response_class()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([Step(TimeSpan.Zero, new ForkBranch(_a.EndPoint), new ForkBranch(_b.EndPoint))]));

        _uac.Send(Invite(), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("INVITE", Wait))!;
        string atB = (await _b.ReceiveUntilAsync("INVITE", Wait))!;
        _a.Send(SipRequests.Answer(atA, "503 Service Unavailable", "a"), _hop.EndPoint);
        _b.Send(SipRequests.Answer(atB, "486 Busy Here", "b"), _hop.EndPoint);

        string final = (await _uac.ReceiveUntilAsync("SIP/2.0 4", Wait))!;
        Assert.StartsWith("SIP/2.0 486", final);
        Assert.Contains("tag=b", final);
    }

    [Fact]
    public async Task Final_status_of_the_last_step_replaces_the_branch_response()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([new ForkBranch(_a.EndPoint)], TimeSpan.Zero, BusyOrTimeout, FinalStatus: SipStatus.TemporarilyUnavailable, FinalReason: "Nobody Home")]));

        _uac.Send(Invite(), _hop.EndPoint);
        string atA = (await _a.ReceiveUntilAsync("INVITE", Wait))!;
        _a.Send(SipRequests.Answer(atA, "486 Busy Here", "a"), _hop.EndPoint);

        Assert.StartsWith("SIP/2.0 480 Nobody Home", await _uac.ReceiveUntilAsync("SIP/2.0 4", Wait));
    }

    [Fact]
    public async Task An_empty_step_can_fail_with_its_own_status_reason_and_headers()
    {
        _router.Decide = () => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([], TimeSpan.Zero, BusyOrTimeout, SipStatus.ServiceUnavailable, "Application server unavailable",
                EmptyStatus: SipStatus.ServiceUnavailable, FinalHeaders: [new SipHeader("Retry-After", "5")])]));

        _uac.Send(Invite(), _hop.EndPoint);

        string final = (await _uac.ReceiveUntilAsync("SIP/2.0 5", Wait))!;
        Assert.StartsWith("SIP/2.0 503 Application server unavailable\r\n", final);
        Assert.Contains("\r\nRetry-After: 5\r\n", final);
    }

    [Fact]
    public async Task Late_decision_is_applied_on_the_worker()
    {
        _router.Pending = new TaskCompletionSource<RoutingDecision>(TaskCreationOptions.RunContinuationsAsynchronously);

        _uac.Send(Invite(), _hop.EndPoint);
        Assert.StartsWith("SIP/2.0 100", await _uac.ReceiveAsync(Wait));
        await _router.Asked.Task.WaitAsync(Wait);
        Assert.Null(await _a.ReceiveUntilAsync("INVITE", TimeSpan.FromMilliseconds(200)));

        _router.Pending.SetResult(RoutingDecision.Forward(_a.EndPoint));

        Assert.NotNull(await _a.ReceiveUntilAsync("INVITE", Wait));
    }

    [Fact]
    public async Task Cancel_while_the_decision_is_pending_gets_487_and_nothing_is_forwarded_later()
    {
        _router.Pending = new TaskCompletionSource<RoutingDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        _uac.Send(Invite(), _hop.EndPoint);
        await _router.Asked.Task.WaitAsync(Wait);

        _uac.Send(Invite("CANCEL").Replace("CSeq: 1 CANCEL", "CSeq: 1 CANCEL"), _hop.EndPoint);
        List<string> answers = await _uac.DrainAsync(TimeSpan.FromMilliseconds(500));
        Assert.Contains(answers, m => m.StartsWith("SIP/2.0 200") && m.Contains("CSeq: 1 CANCEL"));
        Assert.Contains(answers, m => m.StartsWith("SIP/2.0 487") && m.Contains("CSeq: 1 INVITE"));

        _router.Pending.SetResult(RoutingDecision.Forward(_a.EndPoint));
        Assert.Null(await _a.ReceiveUntilAsync("INVITE", TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_decision_may_answer_with_headers_of_its_own()
    {
        _router.Decide = () => RoutingDecision.Respond(SipStatus.Ok, null, [new SipHeader("Contact", "<sip:bob@127.0.0.1:5099>;expires=60")]);

        _uac.Send(Invite("REGISTER"), _hop.EndPoint);

        string ok = (await _uac.ReceiveUntilAsync("SIP/2.0 200", Wait))!;
        Assert.Contains("Contact: <sip:bob@127.0.0.1:5099>;expires=60\r\n", ok);
    }

    [Fact]
    public void Header_values_cannot_smuggle_line_breaks()
    {
        Assert.Throws<ArgumentException>(() => new SipHeader("X-VP-App", "voicemail\r\nVia: SIP/2.0/UDP evil"));
        Assert.Throws<ArgumentException>(() => new SipHeader("Bad Name", "x"));
    }
}
