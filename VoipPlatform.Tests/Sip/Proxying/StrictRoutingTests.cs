using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// Interworking with strict routers (RFC 2543 proxies whose Route entries have no <c>lr</c>), over raw UDP: the bytes
/// the core forwards after restoring a Request-URI a strict router replaced (RFC 3261 section 16.4) and when the next
/// hop is a strict router (section 16.6 step 6).
/// </summary>
public sealed class StrictRoutingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private readonly UdpPeer _uac = new();
    private readonly UdpPeer _next = new();
    private InProcessHop _hop = null!;

    public Task InitializeAsync()
    {
        _hop = InProcessHop.Start(new RequestUriNextHop());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hop.DisposeAsync();
        _uac.Dispose();
        _next.Dispose();
    }

    private string Bye(string requestUri, params string[] routes) => $"""
        BYE {requestUri} SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-{Guid.NewGuid():N};rport
        From: <sip:alice@vp.test>;tag=a1
        To: <sip:bob@vp.test>;tag=b1
        Call-ID: {Guid.NewGuid():N}@127.0.0.1
        CSeq: 2 BYE
        {string.Concat(routes.Select(r => $"Route: {r}\r\n"))}Max-Forwards: 70
        Content-Length: 0


        """;

    private static string[] RouteLines(string message) =>
        message.Split("\r\n").Where(l => l.StartsWith("Route:", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_request_uri_a_strict_router_filled_with_our_record_route_is_restored_from_the_last_route()
    {
        string remoteTarget = $"sip:bob@127.0.0.1:{_next.Port}";
        _uac.Send(Bye($"sip:{_hop.EndPoint};lr", $"<{remoteTarget}>"), _hop.EndPoint);

        string? forwarded = await _next.ReceiveUntilAsync("BYE ", Wait);

        Assert.StartsWith($"BYE {remoteTarget} SIP/2.0\r\n", forwarded);
        Assert.Empty(RouteLines(forwarded!));
    }

    [Fact]
    public async Task A_restored_request_keeps_the_route_entries_before_the_last()
    {
        string remoteTarget = "sip:bob@127.0.0.1:5999";
        _uac.Send(Bye($"sip:{_hop.EndPoint};lr", $"<sip:127.0.0.1:{_next.Port};lr>", $"<{remoteTarget}>"), _hop.EndPoint);

        string? forwarded = await _next.ReceiveUntilAsync("BYE ", Wait);

        Assert.StartsWith($"BYE {remoteTarget} SIP/2.0\r\n", forwarded);
        Assert.Equal([$"Route: <sip:127.0.0.1:{_next.Port};lr>"], RouteLines(forwarded!));
    }

    [Fact]
    public async Task A_next_hop_without_lr_gets_itself_as_request_uri_and_the_request_uri_as_last_route()
    {
        string strictRouter = $"sip:127.0.0.1:{_next.Port}";
        _uac.Send(Bye("sip:bob@127.0.0.1:5999", $"<sip:{_hop.EndPoint};lr>", $"<{strictRouter}>, <sip:127.0.0.1:5998;lr>"), _hop.EndPoint);

        string? forwarded = await _next.ReceiveUntilAsync("BYE ", Wait);

        Assert.StartsWith($"BYE {strictRouter} SIP/2.0\r\n", forwarded);
        Assert.Equal(["Route: <sip:127.0.0.1:5998;lr>", "Route: <sip:bob@127.0.0.1:5999>"], RouteLines(forwarded!));
    }
}
