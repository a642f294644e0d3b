using System.Net;
using System.Net.Sockets;
using System.Text;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// RFC 5658 through a real proxy core: a dialog-creating request that changes transport at the hop gets two
/// Record-Route entries, one per side, and the hop takes both out of a request that comes back along them.
/// </summary>
public sealed class TransportSwitchRecordRouteTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_invite_from_tcp_to_udp_records_one_route_per_side_and_the_callees_bye_goes_back_on_the_tcp_flow()
    {
        using var callee = new UdpPeer();
        // A plain proxy: the BYE, once the hop's own Route entries are gone, goes to its Request-URI, the caller's Contact.
        await using var hop = InProcessHop.Start(new RequestUriNextHop());
        using var caller = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await caller.ConnectAsync(hop.EndPoint);
        var local = (IPEndPoint)caller.LocalEndPoint!;
        string callId = $"{Guid.NewGuid():N}";

        await caller.SendAsync(Encoding.ASCII.GetBytes(
            $"INVITE sip:bob@{callee.EndPoint} SIP/2.0\r\nVia: SIP/2.0/TCP {local};branch=z9hG4bK-{Guid.NewGuid():N}\r\n" +
            $"From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:alice@{local};transport=tcp>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"));

        string forwarded = (await callee.ReceiveUntilAsync("INVITE", Wait))!;
        string[] recordRoute = SipRequests.RecordRoutes(forwarded);
        Assert.Equal(2, recordRoute.Length);
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};lr", recordRoute[0]);                // the callee's side, UDP
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};transport=tcp;lr", recordRoute[1]);  // the caller's side
        Assert.DoesNotContain("@", recordRoute[1]); // no flow token: this hop can open TCP to the caller's Contact itself

        callee.Send($"""
            BYE sip:alice@{local};transport=tcp SIP/2.0
            Via: SIP/2.0/UDP {callee.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport
            Route: <{recordRoute[0]}>, <{recordRoute[1]}>
            From: <sip:bob@127.0.0.1>;tag=b2
            To: <sip:alice@127.0.0.1>;tag=a1
            Call-ID: {callId}
            CSeq: 1 BYE
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);

        string bye = await ReadUntilAsync(caller, "BYE ");
        Assert.StartsWith($"BYE sip:alice@{local};transport=tcp SIP/2.0\r\n", bye[bye.IndexOf("BYE ", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("\r\nRoute:", bye); // both of the hop's entries taken out
    }

    [Fact]
    public async Task A_tcp_invite_a_strict_router_addressed_to_the_hop_still_records_one_route_per_side()
    {
        // RFC 3261 section 16.4: the Request-URI names the hop, the real one is the last Route entry. The request the
        // hop restores from it still came over TCP, so leaving on UDP is a transport switch.
        using var callee = new UdpPeer();
        await using var hop = InProcessHop.Start(new RequestUriNextHop());
        using var caller = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await caller.ConnectAsync(hop.EndPoint);
        var local = (IPEndPoint)caller.LocalEndPoint!;

        await caller.SendAsync(Encoding.ASCII.GetBytes(
            $"INVITE sip:{hop.EndPoint};transport=tcp;lr SIP/2.0\r\nVia: SIP/2.0/TCP {local};branch=z9hG4bK-{Guid.NewGuid():N}\r\n" +
            $"Route: <sip:bob@{callee.EndPoint}>\r\n" +
            $"From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: {Guid.NewGuid():N}\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:alice@{local};transport=tcp>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"));

        string forwarded = (await callee.ReceiveUntilAsync("INVITE", Wait))!;
        Assert.StartsWith($"INVITE sip:bob@{callee.EndPoint} SIP/2.0\r\n", forwarded);
        string[] recordRoute = SipRequests.RecordRoutes(forwarded);
        Assert.Equal(2, recordRoute.Length);
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};transport=tcp;lr", recordRoute[1]); // the caller's side
    }

    [Fact]
    public async Task An_invite_that_keeps_its_transport_records_one_route()
    {
        using var callee = new UdpPeer();
        using var caller = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(callee.EndPoint));

        caller.Send(SipRequests.Invite(caller.EndPoint, "127.0.0.1"), hop.EndPoint);

        string forwarded = (await callee.ReceiveUntilAsync("INVITE", Wait))!;
        string[] recordRoute = SipRequests.RecordRoutes(forwarded);
        Assert.Single(recordRoute);
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};lr", recordRoute[0]);
    }

    /// <summary>Reads the TCP stream until <paramref name="marker"/> and the end of that message's headers arrived.</summary>
    private static async Task<string> ReadUntilAsync(Socket socket, string marker)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Wait);
        while (!(text.ToString() is var seen && seen.Contains(marker) && seen[seen.IndexOf(marker, StringComparison.Ordinal)..].Contains("\r\n\r\n")))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (read == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
