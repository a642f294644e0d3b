using System.Net;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>
/// The proxy core on a real loopback socket, between two raw UDP peers standing for the upstream UAC and the
/// downstream next hop, so every byte it sends can be inspected.
/// </summary>
public sealed class ProxyCoreTransactionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private readonly UdpPeer _uac = new();
    private readonly UdpPeer _next = new();
    private InProcessHop _hop = null!;
    private readonly string _callId = $"{Guid.NewGuid():N}@127.0.0.1";

    public Task InitializeAsync()
    {
        _hop = InProcessHop.Start(new FixedNextHop(_next.EndPoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hop.DisposeAsync();
        _uac.Dispose();
        _next.Dispose();
    }

    private string Invite(string branch = "z9hG4bK-uac-1", int maxForwards = 70, string version = "SIP/2.0", string uri = "sip:bob@127.0.0.1:5999") => $"""
        INVITE {uri} {version}
        Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch={branch};rport
        From: <sip:alice@127.0.0.1>;tag=a1
        To: <sip:bob@127.0.0.1>
        Call-ID: {_callId}
        CSeq: 1 INVITE
        Contact: <sip:alice@127.0.0.1:{_uac.Port}>
        Max-Forwards: {maxForwards}
        Content-Length: 0


        """;

    private static string TopViaBranch(string message) =>
        message.Split("\r\n").First(l => l.StartsWith("Via:")).Split("branch=")[1].Split(';', ',')[0];

    [Fact]
    public async Task Second_invite_retransmission_is_absorbed_not_forwarded_twice()
    {
        _uac.Send(Invite(), _hop.EndPoint);
        string first = (await _next.ReceiveUntilAsync("INVITE", Wait))!;
        Assert.StartsWith("SIP/2.0 100 Trying", await _uac.ReceiveAsync(Wait));

        _uac.Send(Invite(), _hop.EndPoint); // first retransmission
        _uac.Send(Invite(), _hop.EndPoint); // second retransmission

        // Each retransmission is answered from the transaction with the last provisional...
        Assert.StartsWith("SIP/2.0 100 Trying", await _uac.ReceiveAsync(Wait));
        Assert.StartsWith("SIP/2.0 100 Trying", await _uac.ReceiveAsync(Wait));
        // ...and never forwarded again: anything more the next hop sees is the proxy's own timer A resending the
        // same client transaction (same branch), not a second forward (which would carry a new branch).
        List<string> more = await _next.DrainAsync(TimeSpan.FromMilliseconds(300));
        Assert.All(more.Where(m => m.StartsWith("INVITE")), m => Assert.Equal(TopViaBranch(first), TopViaBranch(m)));
    }

    [Fact]
    public async Task A_non_invite_retransmitted_after_its_final_gets_the_same_final_and_is_not_forwarded_again()
    {
        string message = $"""
            MESSAGE sip:bob@127.0.0.1:5999 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-uac-msg;rport
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>
            Call-ID: {_callId}
            CSeq: 1 MESSAGE
            Max-Forwards: 70
            Content-Length: 0


            """;
        _uac.Send(message, _hop.EndPoint);
        string forwarded = (await _next.ReceiveUntilAsync("MESSAGE", Wait))!;
        _next.Send(SipRequests.Answer(forwarded, "202 Accepted"), _hop.EndPoint);
        string final = (await _uac.ReceiveUntilAsync("SIP/2.0 202", Wait))!;

        _uac.Send(message, _hop.EndPoint); // the 202 was lost: the UAC retransmits
        _uac.Send(message, _hop.EndPoint);
        Assert.Equal(final, await _uac.ReceiveAsync(Wait));
        Assert.Equal(final, await _uac.ReceiveAsync(Wait));
        Assert.DoesNotContain(await _next.DrainAsync(TimeSpan.FromMilliseconds(300)), m => m.StartsWith("MESSAGE"));
    }

    [Fact]
    public async Task Responses_come_back_in_order_without_this_hops_via()
    {
        _uac.Send(Invite(), _hop.EndPoint);
        string forwarded = (await _next.ReceiveUntilAsync("INVITE", Wait))!;
        Assert.Contains($"Record-Route: <sip:{_hop.EndPoint};lr", forwarded);
        Assert.Contains("Max-Forwards: 69", forwarded);
        Assert.Contains($"received=127.0.0.1;rport={_uac.Port}", forwarded);

        _next.Send(SipRequests.Answer(forwarded, "180 Ringing"), _hop.EndPoint);
        _next.Send(SipRequests.Answer(forwarded, "200 OK"), _hop.EndPoint);

        Assert.StartsWith("SIP/2.0 100 Trying", await _uac.ReceiveAsync(Wait));
        string ringing = (await _uac.ReceiveAsync(Wait))!;
        string ok = (await _uac.ReceiveAsync(Wait))!;
        Assert.StartsWith("SIP/2.0 180 Ringing", ringing);
        Assert.StartsWith("SIP/2.0 200 OK", ok);
        Assert.Equal("z9hG4bK-uac-1", TopViaBranch(ok));
        Assert.DoesNotContain($"Via: SIP/2.0/UDP {_hop.EndPoint}", ok);
    }

    [Fact]
    public async Task Non_2xx_final_is_acked_hop_by_hop_and_the_upstream_ack_stops_here()
    {
        _uac.Send(Invite(), _hop.EndPoint);
        string forwarded = (await _next.ReceiveUntilAsync("INVITE", Wait))!;
        _next.Send(SipRequests.Answer(forwarded, "486 Busy Here"), _hop.EndPoint);

        string ack = (await _next.ReceiveUntilAsync("ACK", Wait))!;
        Assert.Equal(TopViaBranch(forwarded), TopViaBranch(ack));
        Assert.Contains("CSeq: 1 ACK", ack);
        Assert.StartsWith("SIP/2.0 486 Busy Here", await _uac.ReceiveUntilAsync("SIP/2.0 486", Wait));

        // The UAC's ACK for the 486 belongs to the proxy's server transaction: it is not relayed.
        _uac.Send($"""
            ACK sip:bob@127.0.0.1:5999 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-uac-1;rport
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>;tag=b2
            Call-ID: {_callId}
            CSeq: 1 ACK
            Max-Forwards: 70
            Content-Length: 0


            """, _hop.EndPoint);
        Assert.DoesNotContain(await _next.DrainAsync(TimeSpan.FromMilliseconds(400)), m => m.StartsWith("ACK"));
    }

    [Fact]
    public async Task Cancel_is_answered_here_and_sent_on_after_a_provisional()
    {
        _uac.Send(Invite(), _hop.EndPoint);
        string forwarded = (await _next.ReceiveUntilAsync("INVITE", Wait))!;
        _next.Send(SipRequests.Answer(forwarded, "180 Ringing"), _hop.EndPoint);
        Assert.NotNull(await _uac.ReceiveUntilAsync("SIP/2.0 180", Wait));

        _uac.Send($"""
            CANCEL sip:bob@127.0.0.1:5999 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:{_uac.Port};branch=z9hG4bK-uac-1;rport
            From: <sip:alice@127.0.0.1>;tag=a1
            To: <sip:bob@127.0.0.1>
            Call-ID: {_callId}
            CSeq: 1 CANCEL
            Max-Forwards: 70
            Content-Length: 0


            """, _hop.EndPoint);

        string cancelOk = (await _uac.ReceiveUntilAsync("SIP/2.0 200", Wait))!;
        Assert.Contains("CSeq: 1 CANCEL", cancelOk);
        string cancel = (await _next.ReceiveUntilAsync("CANCEL", Wait))!;
        Assert.Equal(TopViaBranch(forwarded), TopViaBranch(cancel)); // a CANCEL matches the INVITE it cancels

        _next.Send(SipRequests.Answer(cancel, "200 OK"), _hop.EndPoint);
        _next.Send(SipRequests.Answer(forwarded, "487 Request Terminated"), _hop.EndPoint);
        Assert.NotNull(await _uac.ReceiveUntilAsync("SIP/2.0 487", Wait));
        Assert.NotNull(await _next.ReceiveUntilAsync("ACK", Wait));
    }

    [Theory]
    [InlineData(0, "SIP/2.0", "sip:bob@127.0.0.1:5999", "SIP/2.0 483")]
    [InlineData(70, "SIP/3.0", "sip:bob@127.0.0.1:5999", "SIP/2.0 505")]
    [InlineData(70, "SIP/2.0", "tel:+15551234567", "SIP/2.0 416")]
    public async Task Requests_the_core_cannot_forward_get_the_rfc_answer(int maxForwards, string version, string uri, string expected)
    {
        _uac.Send(Invite(maxForwards: maxForwards, version: version, uri: uri), _hop.EndPoint);
        Assert.StartsWith(expected, await _uac.ReceiveAsync(Wait));
        Assert.DoesNotContain(await _next.DrainAsync(TimeSpan.FromMilliseconds(200)), m => m.StartsWith("INVITE"));
    }
}
