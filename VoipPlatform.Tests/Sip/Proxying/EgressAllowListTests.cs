using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// Senders choose the Request-URI and the Via: the egress allow-list (loopback by default) keeps RFC 4475-style
/// documentation addresses (192.0.2.x) and anything else outside it from ever being sent to.
/// </summary>
public sealed class EgressAllowListTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Request_uri_outside_the_allow_list_gets_403_and_is_not_forwarded()
    {
        using var uac = new UdpPeer();
        await using var hop = InProcessHop.Start(new RequestUriNextHop());
        uac.Send($"""
            OPTIONS sip:victim@192.0.2.1:5060 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{uac.Port};branch=z9hG4bK-egress-1
            From: <sip:a@127.0.0.1>;tag=1
            To: <sip:victim@192.0.2.1>
            Call-ID: egress-{Guid.NewGuid():N}
            CSeq: 1 OPTIONS
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);

        string? answer = await uac.ReceiveAsync(Wait);
        Assert.StartsWith("SIP/2.0 403 Destination not allowed", answer);
        Assert.Null(await uac.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Response_whose_next_via_is_outside_the_allow_list_is_dropped()
    {
        using var next = new UdpPeer();
        using var bystander = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(next.EndPoint));
        string callId = $"egress-{Guid.NewGuid():N}";

        // A response with no transaction is relayed statelessly to the next Via: 192.0.2.7 must not be it,
        // while the same response pointing at loopback is relayed (so the test can tell the two apart).
        string Response(string viaHost, int viaPort) => $"""
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP {hop.EndPoint};branch=z9hG4bKvpnone
            Via: SIP/2.0/UDP {viaHost}:{viaPort};branch=z9hG4bK-far
            From: <sip:a@127.0.0.1>;tag=1
            To: <sip:b@127.0.0.1>;tag=2
            Call-ID: {callId}
            CSeq: 1 INVITE
            Content-Length: 0


            """;

        next.Send(Response("192.0.2.7", bystander.Port), hop.EndPoint);
        next.Send(Response("127.0.0.1", bystander.Port), hop.EndPoint);
        List<string> relayed = await bystander.DrainAsync(TimeSpan.FromSeconds(1));
        Assert.Single(relayed);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:", relayed[0]);
    }
}
