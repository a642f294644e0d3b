using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// A routing policy that awaits (Redis, the business-logic API) resumes on the SIP worker that asked it, through the
/// worker's queue, instead of on a thread-pool thread that then hands the decision back.
/// </summary>
public sealed class ProxyCoreAsyncRoutingTests
{
    /// <summary>Awaits a task completed on another thread with asynchronous continuations, as a Redis answer is.</summary>
    private sealed class AwaitingRouter(IPEndPoint next) : ISipRequestRouter
    {
        public TaskCompletionSource<string?> ResumedOn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context) => new(RouteLaterAsync());

        private async Task<RoutingDecision> RouteLaterAsync()
        {
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var elsewhere = new Thread(() =>
            {
                Thread.Sleep(20);
                answer.SetResult();
            });
            elsewhere.Start();
            await answer.Task;
            ResumedOn.TrySetResult(Thread.CurrentThread.Name);
            return RoutingDecision.Forward(next);
        }
    }

    private static string Invite(int port) => $"""
        INVITE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-async-1;rport
        From: <sip:alice@127.0.0.1>;tag=a1
        To: <sip:bob@127.0.0.1>
        Call-ID: async-routing-1
        CSeq: 1 INVITE
        Max-Forwards: 70
        Content-Length: 0


        """;

    [Fact]
    public async Task A_policy_that_awaits_resumes_on_its_sip_worker_and_its_decision_is_carried_out()
    {
        using var uac = new UdpPeer();
        using var next = new UdpPeer();
        var router = new AwaitingRouter(next.EndPoint);
        await using var hop = InProcessHop.Start(router, options: new SipProxyOptions { Workers = 2 });

        uac.Send(Invite(uac.Port), hop.EndPoint);

        string? resumedOn = await router.ResumedOn.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("sip-worker-", resumedOn);
        var forwarded = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (forwarded.Count == 0 && DateTime.UtcNow < deadline) forwarded.AddRange(await next.DrainAsync(TimeSpan.FromMilliseconds(100)));
        string invite = Assert.Single(forwarded);
        Assert.StartsWith("INVITE sip:bob@127.0.0.1 SIP/2.0", invite);
        Assert.Contains("Call-ID: async-routing-1\r\n", invite);
    }
}
