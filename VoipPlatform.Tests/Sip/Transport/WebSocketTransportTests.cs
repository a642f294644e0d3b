using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118) into a real proxy core: a <see cref="ClientWebSocket"/> plays the browser, SIPp or a
/// UDP socket the other side. Covers the upgrade handshake, framing, and reaching the browser later through the
/// flow token in the proxy's Record-Route and Path entries (RFC 5626, RFC 5658).
/// </summary>
public sealed partial class WebSocketTransportTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    private InProcessHop StartHop(IPEndPoint next, bool secure = false, bool addPath = false) =>
        InProcessHop.Start(new FixedNextHop(next), options: new SipProxyOptions { Workers = 2, AddPath = addPath }, transportOptions: new SipTransportOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            WebSocketPort = secure ? 0 : FreeSipPort.Next(),
            SecureWebSocketPort = secure ? FreeSipPort.Next() : 0,
            TlsCertificatePath = secure ? _certificate.PfxPath : null,
            TlsCertificatePassword = TestCertificate.Password,
        });

    [Fact]
    public async Task A_browser_call_gets_its_answers_over_the_socket_and_the_callees_bye_comes_back_on_that_connection()
    {
        int uasPort = FreeSipPort.Next();
        await using var hop = StartHop(new IPEndPoint(IPAddress.Loopback, uasPort));
        await using var uas = SippRun.Start("-sf", SippScenarios.HangsUp(), "-i", "127.0.0.1", "-p", uasPort.ToString(), "-m", "1");
        await Task.Delay(300);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        string callId = $"{Guid.NewGuid():N}";

        await browser.SendAsync(Invite(browser, callId));

        var statuses = new List<string>();
        string? ok = null;
        while (ok is null && await browser.ReceiveAsync(Wait) is { } response)
        {
            statuses.Add(response[..12]);
            if (response.StartsWith("SIP/2.0 200")) ok = response;
        }
        Assert.Equal(["SIP/2.0 100 ", "SIP/2.0 180 ", "SIP/2.0 200 "], statuses);
        string[] recordRoute = SipRequests.RecordRoutes(ok!);
        Assert.Equal(2, recordRoute.Length); // RFC 5658: one entry per side of the transport switch
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};lr", recordRoute[0]);
        Assert.Matches($"^sip:{FlowTokenPattern}@127\\.0\\.0\\.1:{hop.Transport.WebSocketEndPoint!.Port};transport=ws;lr;ob", recordRoute[1]);

        // The browser's route set is the Record-Route reversed (RFC 3261 section 12.1.2).
        await browser.SendAsync(InDialog("ACK", browser, callId, SipRequests.Header(ok!, "To"), SipRequests.Header(ok!, "Contact").Trim('<', '>'), recordRoute[1], recordRoute[0]));
        string? bye = await browser.ReceiveUntilAsync("BYE ", Wait);
        Assert.NotNull(bye);
        Assert.StartsWith($"BYE sip:alice@{browser.Host};transport=ws", bye); // the browser's Contact, reached only over its connection
        await browser.SendAsync(SipRequests.Answer(bye!, "200 OK"));

        SippResult result = await uas.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(result is { ExitCode: 0, FailedCalls: 0, SuccessfulCalls: 1 }, $"UAS: {result}");
    }

    [Fact]
    public async Task A_request_for_a_closed_flow_gets_430_and_one_with_an_altered_flow_token_403()
    {
        using var callee = new UdpPeer();
        await using var hop = StartHop(callee.EndPoint);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        string callId = $"{Guid.NewGuid():N}";
        await browser.SendAsync(Invite(browser, callId));
        string forwarded = (await callee.ReceiveUntilAsync("INVITE", Wait))!;
        string[] recordRoute = SipRequests.RecordRoutes(forwarded);
        callee.Send(SipRequests.Answer(forwarded, "200 OK"), hop.EndPoint);
        Assert.NotNull(await browser.ReceiveUntilAsync("SIP/2.0 200", Wait));

        string token = FlowToken().Match(recordRoute[1]).Groups[1].Value;
        string altered = recordRoute[1].Replace(token + "@", (token[0] == 'A' ? 'B' : 'A') + token[1..] + "@");
        callee.Send(ByeFromCallee(callee, browser, callId, recordRoute[0], altered), hop.EndPoint);
        Assert.StartsWith("SIP/2.0 403 Invalid flow token", await callee.ReceiveFinalResponseAsync(Wait));

        await browser.CloseAsync();
        await Task.Delay(300); // the hop forgets the flow once its side of the close is done
        callee.Send(ByeFromCallee(callee, browser, callId, recordRoute[0], recordRoute[1]), hop.EndPoint);
        Assert.StartsWith("SIP/2.0 430 Flow Failed", await callee.ReceiveFinalResponseAsync(Wait));
    }

    [Fact]
    public async Task A_register_over_websocket_gets_a_path_with_the_flow_token_and_a_call_along_that_path_reaches_the_browser()
    {
        using var registrar = new UdpPeer();
        await using var hop = StartHop(registrar.EndPoint, addPath: true);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);

        await browser.SendAsync($"""
            REGISTER sip:voip.test SIP/2.0
            Via: SIP/2.0/WS {browser.Host};branch=z9hG4bK-{Guid.NewGuid():N}
            From: <sip:alice@voip.test>;tag=r1
            To: <sip:alice@voip.test>
            Call-ID: {Guid.NewGuid():N}
            CSeq: 1 REGISTER
            Contact: <sip:alice@{browser.Host};transport=ws;ob>
            Max-Forwards: 70
            Content-Length: 0


            """);
        string register = (await registrar.ReceiveUntilAsync("REGISTER", Wait))!;
        string path = SipRequests.Header(register, "Path");
        // The registrar reaches the hop over UDP; the token names the browser's connection (RFC 5626 section 5.1).
        Assert.Matches($"^<sip:{FlowTokenPattern}@127\\.0\\.0\\.1:{hop.EndPoint.Port};lr;ob>$", path);
        registrar.Send(SipRequests.Answer(register, "200 OK"), hop.EndPoint);
        Assert.NotNull(await browser.ReceiveUntilAsync("SIP/2.0 200", Wait));

        // A call to the registered user, routed by the stored Path as a registrar does (pre-loaded Route).
        registrar.Send($"""
            INVITE sip:alice@{browser.Host};transport=ws SIP/2.0
            Via: SIP/2.0/UDP {registrar.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport
            Route: {path}
            From: <sip:bob@voip.test>;tag=b1
            To: <sip:alice@voip.test>
            Call-ID: {Guid.NewGuid():N}
            CSeq: 1 INVITE
            Contact: <sip:bob@{registrar.EndPoint}>
            Max-Forwards: 70
            Content-Length: 0


            """, hop.EndPoint);
        string? invite = await browser.ReceiveUntilAsync("INVITE ", Wait);
        Assert.NotNull(invite);
        Assert.DoesNotContain("Route:", invite!.Replace("Record-Route:", ""));
        string[] recordRoute = SipRequests.RecordRoutes(invite);
        Assert.Equal(2, recordRoute.Length);
        Assert.Matches($"^sip:{FlowTokenPattern}@127\\.0\\.0\\.1:{hop.Transport.WebSocketEndPoint!.Port};transport=ws;lr;ob", recordRoute[0]);
        Assert.StartsWith($"sip:127.0.0.1:{hop.EndPoint.Port};lr", recordRoute[1]);
    }

    [Fact]
    public async Task The_upgrade_is_answered_with_the_rfc_6455_accept_value_and_the_sip_subprotocol()
    {
        await using var hop = StartHop(new IPEndPoint(IPAddress.Loopback, 9));

        string answer = await UpgradeAsync(hop, "Sec-WebSocket-Protocol: chat, sip\r\n");

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", answer); // RFC 6455 section 1.3's example
        Assert.Contains("\r\nSec-WebSocket-Protocol: sip\r\n", answer);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("chat")]
    public async Task An_upgrade_without_the_sip_subprotocol_is_refused_with_400(string? subProtocol)
    {
        await using var hop = StartHop(new IPEndPoint(IPAddress.Loopback, 9));

        string answer = await UpgradeAsync(hop, subProtocol is null ? "" : $"Sec-WebSocket-Protocol: {subProtocol}\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", answer);
        var browser = new ClientWebSocket(); // and a real client without the subprotocol fails to connect
        await Assert.ThrowsAsync<WebSocketException>(() => browser.ConnectAsync(new Uri($"ws://{hop.Transport.WebSocketEndPoint}/"), CancellationToken.None));
    }

    /// <summary>Sends an upgrade request by hand, with the key of RFC 6455's example and <paramref name="extraHeaders"/>; returns the answer.</summary>
    private static async Task<string> UpgradeAsync(InProcessHop hop, string extraHeaders)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n"));
        byte[] buffer = new byte[512];
        int read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Wait);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Fact]
    public async Task Over_wss_a_request_is_forwarded_and_its_response_comes_back_on_the_secure_connection()
    {
        using var next = new UdpPeer();
        await using var hop = StartHop(next.EndPoint, secure: true);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.SecureWebSocketEndPoint!, _certificate.Hash);

        await browser.SendAsync(Options(browser, "WSS"));
        string forwarded = (await next.ReceiveUntilAsync("OPTIONS", Wait))!;
        Assert.Contains($"Via: SIP/2.0/WSS {browser.Host};", forwarded);
        next.Send(SipRequests.Answer(forwarded, "200 OK"), hop.EndPoint);

        string? response = await browser.ReceiveAsync(Wait);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", response);
    }

    [Fact]
    public async Task A_message_sent_in_several_frames_is_reassembled_into_one_sip_message()
    {
        using var next = new UdpPeer();
        await using var hop = StartHop(next.EndPoint);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        byte[] message = Encoding.ASCII.GetBytes(Options(browser, "WS").ReplaceLineEndings("\r\n"));

        for (int at = 0; at < message.Length; at += 50)
        {
            int length = Math.Min(50, message.Length - at);
            await browser.Socket.SendAsync(message.AsMemory(at, length), WebSocketMessageType.Binary, endOfMessage: at + length == message.Length, CancellationToken.None);
        }

        string? forwarded = await next.ReceiveUntilAsync("OPTIONS", Wait);
        Assert.NotNull(forwarded);
        Assert.Contains($"Via: SIP/2.0/WS {browser.Host};", forwarded);
    }

    [Fact]
    public async Task A_message_over_64_KiB_closes_the_connection_and_the_hop_still_accepts_others()
    {
        using var next = new UdpPeer();
        await using var hop = StartHop(next.EndPoint);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        byte[] chunk = new byte[8192];
        Array.Fill(chunk, (byte)'x');

        try
        {
            for (int sent = 0; sent < 80_000; sent += chunk.Length)
            {
                await browser.Socket.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // the hop closed while we were still sending: what this test wants
        }

        Assert.Null(await browser.ReceiveAsync(Wait)); // closed, not answered
        Assert.True(browser.Socket.CloseStatus is WebSocketCloseStatus.MessageTooBig || browser.Socket.State is WebSocketState.Aborted or WebSocketState.Closed,
            $"state {browser.Socket.State}, close status {browser.Socket.CloseStatus}");
        await using var another = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);
        await another.SendAsync(Options(another, "WS"));
        Assert.NotNull(await next.ReceiveUntilAsync("OPTIONS", Wait));
    }

    [Fact]
    public async Task Garbage_messages_are_dropped_and_the_connection_keeps_working()
    {
        using var next = new UdpPeer();
        await using var hop = StartHop(next.EndPoint);
        await using var browser = await WebSocketPeer.ConnectAsync(hop.Transport.WebSocketEndPoint!);

        await browser.Socket.SendAsync(new byte[] { 0, 1, 2, 0xff, 0xfe }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await browser.SendAsync("hello, this is not SIP\r\n\r\n");
        await browser.SendAsync("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nContent-Length: lots\r\n\r\n");
        await browser.SendAsync("\r\n\r\n"); // a CRLF keep-alive ping (RFC 5626 section 4.4.1)
        Assert.Equal("\r\n", await browser.ReceiveAsync(Wait));

        await browser.SendAsync(Options(browser, "WS"));
        Assert.NotNull(await next.ReceiveUntilAsync("OPTIONS", Wait));
        Assert.Equal(WebSocketState.Open, browser.Socket.State);
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    /// <summary>Base64url, as the proxy writes flow tokens.</summary>
    private const string FlowTokenPattern = "[A-Za-z0-9_-]{20,}";

    [GeneratedRegex("^sip:([A-Za-z0-9_-]+)@")]
    private static partial Regex FlowToken();

    private static string Invite(WebSocketPeer browser, string callId) => $"""
        INVITE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/WS {browser.Host};branch=z9hG4bK-{Guid.NewGuid():N}
        From: <sip:alice@voip.test>;tag=ws1
        To: <sip:bob@127.0.0.1>
        Call-ID: {callId}
        CSeq: 1 INVITE
        Contact: <sip:alice@{browser.Host};transport=ws;ob>
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static string Options(WebSocketPeer browser, string transport) => $"""
        OPTIONS sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/{transport} {browser.Host};branch=z9hG4bK-{Guid.NewGuid():N}
        From: <sip:alice@voip.test>;tag=o1
        To: <sip:bob@127.0.0.1>
        Call-ID: {Guid.NewGuid():N}
        CSeq: 1 OPTIONS
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static string InDialog(string method, WebSocketPeer browser, string callId, string to, string requestUri, params string[] route) => $"""
        {method} {requestUri} SIP/2.0
        Via: SIP/2.0/WS {browser.Host};branch=z9hG4bK-{Guid.NewGuid():N}
        Route: {string.Join(", ", route.Select(r => $"<{r}>"))}
        From: <sip:alice@voip.test>;tag=ws1
        To: {to}
        Call-ID: {callId}
        CSeq: 1 {method}
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static string ByeFromCallee(UdpPeer callee, WebSocketPeer browser, string callId, params string[] route) => $"""
        BYE sip:alice@{browser.Host};transport=ws SIP/2.0
        Via: SIP/2.0/UDP {callee.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport
        Route: {string.Join(", ", route.Select(r => $"<{r}>"))}
        From: <sip:bob@127.0.0.1>;tag=b2
        To: <sip:alice@voip.test>;tag=ws1
        Call-ID: {callId}
        CSeq: 2 BYE
        Max-Forwards: 70
        Content-Length: 0


        """;
}
