using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Conformance;

/// <summary>
/// Every RFC 4475 message thrown at a running proxy core over UDP: afterwards the core must still answer a sound
/// request at once. (Which answer each torture message deserves is the SIP conformance work's to assert.)
/// </summary>
public sealed class TortureProxyLivenessTests
{
    [Fact]
    public async Task Proxy_core_keeps_answering_after_every_torture_message()
    {
        using var sender = new UdpPeer();
        using var next = new UdpPeer();
        await using var hop = InProcessHop.Start(new FixedNextHop(next.EndPoint));
        using var socket = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

        int probe = 0;
        foreach (TortureMessages.Case c in TortureMessages.All)
        {
            await socket.SendAsync(c.Bytes, hop.EndPoint);

            probe++;
            sender.Send($"""
                OPTIONS sip:probe@127.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:{sender.Port};branch=z9hG4bK-probe-{probe}
                From: <sip:probe@127.0.0.1>;tag=p
                To: <sip:probe@127.0.0.1>
                Call-ID: probe-{probe}-{Guid.NewGuid():N}
                CSeq: 1 OPTIONS
                Max-Forwards: 0
                Content-Length: 0


                """, hop.EndPoint);
            string? answer = await sender.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.True(answer?.StartsWith("SIP/2.0 483") == true, $"no answer to a sound request after {c}: {c.What}");
        }
    }
}
