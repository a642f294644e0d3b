using System.Net;
using System.Net.Sockets;
using System.Text;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Transport;

/// <summary>SIP over TCP through a real proxy core: SIPp over TCP, the 1300-byte rule, keep-alives, flows reused for responses.</summary>
public sealed class TcpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sipp_calls_over_tcp_complete_through_the_proxy_to_a_udp_callee()
    {
        const int calls = 20;
        int uasPort = FreeSipPort.Next(), uacPort = FreeSipPort.Next();
        await using var hop = InProcessHop.Start(new FixedNextHop(new IPEndPoint(IPAddress.Loopback, uasPort)));
        await using var uas = SippRun.Start("-sn", "uas", "-i", "127.0.0.1", "-p", uasPort.ToString(), "-m", calls.ToString());
        await Task.Delay(300);

        // SIPp's UAC on one TCP connection (-t t1): INVITE, ACK and BYE in, every response back on that connection.
        await using var uac = SippRun.Start("-sn", "uac", "-t", "t1", hop.EndPoint.ToString(), "-i", "127.0.0.1", "-p", uacPort.ToString(),
            "-m", calls.ToString(), "-r", "10");

        SippResult uacResult = await uac.WaitAsync(TimeSpan.FromSeconds(30));
        SippResult uasResult = await uas.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(uacResult is { ExitCode: 0, FailedCalls: 0 } && uacResult.SuccessfulCalls == calls, $"UAC: {uacResult}");
        Assert.True(uasResult is { ExitCode: 0, FailedCalls: 0 } && uasResult.SuccessfulCalls == calls, $"UAS: {uasResult}");
    }

    private static string BigInvite(IPEndPoint from)
    {
        string body = "v=0\r\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"a=x-padding-{i}:{new string('p', 30)}\r\n"));
        return $"INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {from};branch=z9hG4bK-big-{Guid.NewGuid():N};rport\r\n" +
               $"From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: {Guid.NewGuid():N}@127.0.0.1\r\nCSeq: 1 INVITE\r\n" +
               $"Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    [Fact]
    public async Task A_request_over_1300_bytes_is_forwarded_over_tcp_with_a_tcp_via()
    {
        using var next = new TcpListener(IPAddress.Loopback, 0);
        next.Start();
        using var uac = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop((IPEndPoint)next.LocalEndpoint));
        string invite = BigInvite(uac.EndPoint);
        Assert.True(invite.Length > 1300);

        uac.Send(invite, hop.EndPoint);

        using Socket accepted = await next.AcceptSocketAsync().WaitAsync(Wait);
        string forwarded = await ReadUntilAsync(accepted, "\r\n\r\n");
        Assert.StartsWith("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP ", forwarded);
    }

    [Fact]
    public async Task A_big_request_to_a_peer_that_refuses_tcp_goes_over_udp_with_a_udp_via()
    {
        using var next = new UdpPeer(); // UDP only, like SIPp without -t: TCP to its port is refused
        using var uac = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(next.EndPoint));

        uac.Send(BigInvite(uac.EndPoint), hop.EndPoint);

        string? forwarded = await next.ReceiveUntilAsync("INVITE", Wait);
        Assert.NotNull(forwarded);
        Assert.StartsWith($"INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {hop.EndPoint};", forwarded);
    }

    [Fact]
    public async Task A_crlf_ping_gets_a_pong_and_the_flow_stays_open()
    {
        await using var hop = InProcessHop.Start(new FixedNextHop(new IPEndPoint(IPAddress.Loopback, 9)));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(hop.EndPoint);

        await client.SendAsync("\r\n\r\n"u8.ToArray());
        byte[] pong = new byte[8];
        int read = await client.ReceiveAsync(pong).WaitAsync(Wait);

        Assert.Equal("\r\n", Encoding.ASCII.GetString(pong, 0, read));
    }

    [Fact]
    public async Task Unframeable_bytes_close_the_flow_without_harming_the_proxy()
    {
        await using var hop = InProcessHop.Start(new FixedNextHop(new IPEndPoint(IPAddress.Loopback, 9)));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(hop.EndPoint);

        await client.SendAsync(Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nContent-Length: lots\r\n\r\n"));
        int read = await client.ReceiveAsync(new byte[16]).WaitAsync(Wait);

        Assert.Equal(0, read); // closed by the proxy
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await again.ConnectAsync(hop.EndPoint); // and it still accepts
        await again.SendAsync("\r\n\r\n"u8.ToArray());
        Assert.Equal(2, await again.ReceiveAsync(new byte[8]).WaitAsync(Wait));
    }

    private static async Task<string> ReadUntilAsync(Socket socket, string marker)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Wait);
        while (!text.ToString().Contains(marker))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (read == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
