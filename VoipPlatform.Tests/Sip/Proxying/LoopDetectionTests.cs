using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>Loops and spirals (RFC 3261 section 16.3 step 4) between two real proxy cores on loopback.</summary>
public sealed class LoopDetectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private sealed class DelegateRouter(Func<SipMessage, RoutingDecision> decide) : ISipRequestRouter
    {
        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context) => decide(request);
    }

    [Fact]
    public async Task A_request_that_comes_back_unchanged_is_a_loop_and_gets_482()
    {
        using var uac = new UdpPeer();
        IPEndPoint? bEndPoint = null;
        await using var a = InProcessHop.Start(new DelegateRouter(_ => RoutingDecision.Forward(bEndPoint!)));
        await using var b = InProcessHop.Start(new FixedNextHop(a.EndPoint)); // misconfigured: straight back
        bEndPoint = b.EndPoint;

        uac.Send(SipRequests.Invite(uac.EndPoint, "example.test"), a.EndPoint);

        string? final = await uac.ReceiveUntilAsync("SIP/2.0 4", Wait);
        Assert.NotNull(final);
        Assert.StartsWith("SIP/2.0 482 Loop Detected", final);
    }

    [Fact]
    public async Task A_request_that_comes_back_with_a_new_request_uri_is_a_spiral_and_goes_on()
    {
        using var uac = new UdpPeer();
        using var callee = new UdpPeer();
        IPEndPoint? bEndPoint = null;
        // The edge sends the dialled address to the router, and a registered Contact to the callee.
        await using var edge = InProcessHop.Start(new DelegateRouter(request =>
            System.Text.Encoding.ASCII.GetString(request[request.RequestUri]).Contains("example.test")
                ? RoutingDecision.Forward(bEndPoint!)
                : RoutingDecision.Forward(callee.EndPoint)));
        // The router looks the user up and sends the call back through the edge with the Contact as Request-URI.
        await using var router = InProcessHop.Start(new DelegateRouter(_ => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([new ForkBranch(edge.EndPoint, $"sip:bob@{callee.EndPoint}")], TimeSpan.Zero, [])]))));
        bEndPoint = router.EndPoint;

        uac.Send(SipRequests.Invite(uac.EndPoint, "example.test"), edge.EndPoint);

        string? arrived = await callee.ReceiveUntilAsync("INVITE", Wait);
        Assert.NotNull(arrived);
        Assert.StartsWith($"INVITE sip:bob@{callee.EndPoint} SIP/2.0", arrived);
        Assert.Equal(3, arrived.Split("\r\n").Count(line => line.StartsWith("Via:") && !line.Contains(uac.EndPoint.ToString())));
    }
}
