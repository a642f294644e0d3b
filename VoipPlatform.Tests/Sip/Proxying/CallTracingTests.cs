using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using VoipPlatform.Proxy.Routing;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Tests.Infrastructure;
using VoipPlatform.Tests.Proxy.Routing;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// Proxy core (with the edge's real routing policy) and a second core standing in for the router (forwarding to
/// the Request-URI) in this process, real SIPp UAC and UAS around them:
/// every call must come out as exactly one trace covering INVITE, ACK and BYE at both hops.
/// </summary>
public sealed partial class CallTracingTests : IDisposable
{
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public CallTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SipTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d+-\d+@127\.0\.0\.1$")]
    private static partial System.Text.RegularExpressions.Regex SippCallId();

    [Theory]
    [InlineData(true)]   // ACK and BYE come back with the Record-Route context in their Route
    [InlineData(false)]  // SIPp's built-in UAC ignores Record-Route: the Call-ID-derived context holds the call together
    public async Task Each_call_is_one_trace_across_proxy_and_router(bool uacHonoursRecordRoute)
    {
        await using var router = InProcessHop.Start(new RequestUriNextHop());
        var edge = new EdgeRequestRouter(Routers.At(router.EndPoint));
        await using var proxy = InProcessHop.Start(edge);

        const int calls = 5;
        int uasPort = FreeSipPort.Next(), uacPort = FreeSipPort.Next();
        var (uasScenario, uacScenario) = SippScenarios.ThroughHops(proxy.EndPoint, router.EndPoint);
        await using var uas = SippRun.Start("-sf", uasScenario, "-i", "127.0.0.1", "-p", uasPort.ToString(), "-m", calls.ToString());
        await Task.Delay(300);
        string[] uacKind = uacHonoursRecordRoute ? ["-sf", uacScenario] : ["-sn", "uac"];
        await using var uac = SippRun.Start([.. uacKind, $"127.0.0.1:{uasPort}", "-i", "127.0.0.1", "-p", uacPort.ToString(),
            "-rsa", proxy.EndPoint.ToString(), "-m", calls.ToString(), "-r", "10"]);

        SippResult uacResult = await uac.WaitAsync(TimeSpan.FromSeconds(30));
        SippResult uasResult = await uas.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(uacResult.ExitCode == 0 && uacResult.SuccessfulCalls == calls, uacResult.ToString());
        Assert.True(uasResult.ExitCode == 0 && uasResult.SuccessfulCalls == calls, uasResult.ToString());

        // Only this test's calls: SIPp writes Call-IDs as "<call number>-<pid>@<ip>"; other tests run in parallel.
        string ours = $"-{uac.ProcessId}@";
        var serverSpans = _spans.Where(s => s.Kind == ActivityKind.Server
            && s.GetTagItem("sip.call_id") is string callId && SippCallId().IsMatch(callId) && callId.Contains(ours)).ToArray();
        var byCall = serverSpans.GroupBy(s => (string?)s.GetTagItem("sip.call_id")).ToArray();
        Assert.Equal(calls, byCall.Length);
        foreach (var call in byCall)
        {
            // INVITE, ACK and BYE, each seen by the proxy and by the router.
            var methods = call.Select(s => (string?)s.GetTagItem("sip.method")).ToArray();
            Assert.Equal(2, methods.Count(m => m == "INVITE"));
            Assert.Equal(2, methods.Count(m => m == "ACK"));
            Assert.Equal(2, methods.Count(m => m == "BYE"));
            Assert.Single(call.Select(s => s.TraceId).Distinct());
        }
        Assert.Equal(calls, serverSpans.Select(s => s.TraceId).Distinct().Count());
    }

    /// <summary>Records the ambient activity a policy sees before and after an await, then forwards.</summary>
    private sealed class ContextCapturingRouter(IPEndPoint next) : VoipPlatform.Sip.Proxying.ISipRequestRouter
    {
        public TaskCompletionSource<(Activity? Before, Activity? After)> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<VoipPlatform.Sip.Proxying.RoutingDecision> RouteAsync(VoipPlatform.Sip.Messages.SipMessage request, VoipPlatform.Sip.Proxying.RoutingContext context)
        {
            Activity? before = Activity.Current;
            await Task.Delay(10); // like an HTTP call to the business-logic API
            Seen.TrySetResult((before, Activity.Current));
            return VoipPlatform.Sip.Proxying.RoutingDecision.Forward(next);
        }
    }

    [Fact]
    public async Task What_the_routing_policy_calls_is_a_child_of_the_request_span_even_across_awaits()
    {
        using var downstream = new UdpPeer();
        using var uac = new UdpPeer();
        var policy = new ContextCapturingRouter(downstream.EndPoint);
        await using var hop = InProcessHop.Start(policy);

        uac.Send(SipRequests.Invite(uac.EndPoint, "127.0.0.1"), hop.EndPoint);
        var (before, after) = await policy.Seen.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.NotNull(before);
        Assert.Equal(ActivityKind.Server, before.Kind);
        Assert.Equal("INVITE", before.GetTagItem("sip.method"));
        Assert.Same(before, after);
        Assert.NotNull(await downstream.ReceiveUntilAsync("INVITE", TimeSpan.FromSeconds(3)));
    }
}
