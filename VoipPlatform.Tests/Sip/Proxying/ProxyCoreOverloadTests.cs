using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// A worker that falls behind sheds new calls with 503 and Retry-After while it still absorbs retransmissions of
/// the calls it holds. The routing policy blocks on the first call to make the backlog happen on cue.
/// </summary>
public sealed class ProxyCoreOverloadTests
{
    private sealed class StallingRouter(IPEndPoint next, ManualResetEventSlim gate) : ISipRequestRouter
    {
        private int _calls;

        /// <summary>Completes when the first request is being held.</summary>
        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Stalled.SetResult();
                gate.Wait(TimeSpan.FromSeconds(10));
            }
            return RoutingDecision.Forward(next);
        }
    }

    private static string Invite(int port, int call) => $"""
        INVITE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-load-{call};rport
        From: <sip:alice@127.0.0.1>;tag=a{call}
        To: <sip:bob@127.0.0.1>
        Call-ID: load-{call}
        CSeq: 1 INVITE
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static int NewCallsForwarded(List<string> forwarded) =>
        forwarded.Where(f => !f.Contains("Call-ID: load-0\r\n")).Select(f => f.Split("Call-ID: ")[1].Split("\r\n")[0]).Distinct().Count();

    private static string TopBranch(string message) => message.Split("branch=")[1].Split(';', '\r')[0];

    [Fact]
    public async Task Backlogged_worker_answers_new_invites_503_with_retry_after_and_still_absorbs_retransmissions()
    {
        const int backlog = 50;
        using var uac = new UdpPeer();
        using var next = new UdpPeer();
        using var gate = new ManualResetEventSlim();
        var options = new SipProxyOptions { Workers = 1, QueueCapacity = 64, OverloadThreshold = 0.5, RetryAfterSeconds = 7 };
        var router = new StallingRouter(next.EndPoint, gate);
        await using var hop = InProcessHop.Start(router, options: options);

        uac.Send(Invite(uac.Port, 0), hop.EndPoint);
        await router.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the worker is now stuck routing call 0
        for (int call = 1; call <= backlog; call++) uac.Send(Invite(uac.Port, call), hop.EndPoint);
        uac.Send(Invite(uac.Port, 0), hop.EndPoint); // a retransmission of the call being served
        // Let the whole backlog reach the worker's queue (the retransmission too) before the worker resumes.
        for (int i = 0; i < 250 && hop.Core.QueuedMessages < backlog + 1; i++) await Task.Delay(20);
        Assert.Equal(backlog + 1, hop.Core.QueuedMessages);
        gate.Set();

        // Collect until every backlogged call was either refused or forwarded (bounded: 10 s).
        var answers = new List<string>();
        var forwarded = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int Decided() => answers.Count(a => a.StartsWith("SIP/2.0 503")) + NewCallsForwarded(forwarded);
        while (Decided() < backlog && DateTime.UtcNow < deadline)
        {
            answers.AddRange(await uac.DrainAsync(TimeSpan.FromMilliseconds(200)));
            forwarded.AddRange(await next.DrainAsync(TimeSpan.FromMilliseconds(50)));
        }

        string[] refused = answers.Where(a => a.StartsWith("SIP/2.0 503 Overloaded")).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains("Retry-After: 7", r));
        // Call 0 was forwarded by one client transaction (timer A may resend it: same branch), its retransmission absorbed.
        Assert.Single(forwarded.Where(f => f.Contains("Call-ID: load-0\r\n")).Select(TopBranch).Distinct());
        int forwardedNew = NewCallsForwarded(forwarded);
        Assert.True(forwardedNew > 0, "once the backlog fell below the threshold, new calls were forwarded again");
        Assert.Equal(backlog, refused.Length + forwardedNew);
    }
}
