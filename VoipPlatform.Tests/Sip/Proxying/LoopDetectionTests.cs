using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>Loops and spirals (RFC 3261 section 16.3 step 4) between two real proxy cores on loopback.</summary>
public sealed class LoopDetectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private sealed class DelegateRouter(Func<SipMessage, RoutingContext, RoutingDecision> decide) : ISipRequestRouter
    {
        public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context) => decide(request, context);
    }

    [Fact]
    public async Task A_request_that_comes_back_unchanged_is_a_loop_and_gets_482()
    {
        using var uac = new UdpPeer();
        IPEndPoint? bEndPoint = null;
        await using var a = InProcessHop.Start(new DelegateRouter((_, _) => RoutingDecision.Forward(bEndPoint!)));
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
        await using var edge = InProcessHop.Start(new DelegateRouter((request, _) =>
            System.Text.Encoding.ASCII.GetString(request[request.RequestUri]).Contains("example.test")
                ? RoutingDecision.Forward(bEndPoint!)
                : RoutingDecision.Forward(callee.EndPoint)));
        // The router looks the user up and sends the call back through the edge with the Contact as Request-URI.
        await using var router = InProcessHop.Start(new DelegateRouter((_, _) => RoutingDecision.Fork(new ForkPlan([
            new ForkStep([new ForkBranch(edge.EndPoint, $"sip:bob@{callee.EndPoint}")], TimeSpan.Zero, [])]))));
        bEndPoint = router.EndPoint;

        uac.Send(SipRequests.Invite(uac.EndPoint, "example.test"), edge.EndPoint);

        string? arrived = await callee.ReceiveUntilAsync("INVITE", Wait);
        Assert.NotNull(arrived);
        Assert.StartsWith($"INVITE sip:bob@{callee.EndPoint} SIP/2.0", arrived);
        Assert.Equal(3, arrived.Split("\r\n").Count(line => line.StartsWith("Via:") && !line.Contains(uac.EndPoint.ToString())));
    }

    [Fact]
    public async Task A_request_inside_a_dialog_that_passes_a_hop_twice_along_its_route_set_is_a_spiral_and_goes_on()
    {
        // Edge -> router -> edge -> callee, as a callee's re-INVITE or UPDATE travels: the Request-URI (the other
        // party's Contact) never changes, only the Route set shrinks at each hop.
        using var uac = new UdpPeer();
        using var callee = new UdpPeer();
        var followRoute = new DelegateRouter((request, context) => RoutingDecision.ByRouteOrRequestUri(request, context));
        await using var edge = InProcessHop.Start(followRoute);
        await using var router = InProcessHop.Start(followRoute);

        string update = $"""
            UPDATE sip:alice@{callee.EndPoint} SIP/2.0
            Via: SIP/2.0/UDP {uac.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N}
            Route: <sip:{edge.EndPoint};lr>, <sip:{router.EndPoint};lr>, <sip:{edge.EndPoint};lr>
            From: <sip:bob@example.test>;tag=callee
            To: <sip:alice@example.test>;tag=caller
            Call-ID: {Guid.NewGuid():N}@127.0.0.1
            CSeq: 1 UPDATE
            Max-Forwards: 70
            Content-Length: 0


            """;
        uac.Send(update, edge.EndPoint);

        string? arrived = await callee.ReceiveUntilAsync("UPDATE", Wait);
        Assert.True(arrived is not null, $"never arrived; the caller got: {await uac.ReceiveUntilAsync("SIP/2.0", TimeSpan.FromMilliseconds(200))}");
        int vias = arrived.Split("\r\n").Where(line => line.StartsWith("Via:")).Sum(line => line.Split("SIP/2.0/").Length - 1);
        Assert.Equal(4, vias); // the caller's, the edge's twice, the router's
    }

}
