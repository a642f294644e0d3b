using System.Net;
using System.Text.RegularExpressions;
using VoipPlatform.RtpEngine.Bencode;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// SDP bridging at the edge with a real RTPEngine (userspace) and real SIPp phones sending and echoing RTP: through the
/// platform the AppHost runs (its proxy bridging through the media agent's RTPEngine), and through an edge proxy
/// process of the test's own whose only media node is dead.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MediaBridgingTests(PlatformFixture platform)
{
    private static void AssertAllSucceeded(SippResult result, string what) =>
        Assert.True(result is { ExitCode: 0, FailedCalls: 0, SuccessfulCalls: 1 }, $"{what}: {result}");

    private Task<ServiceProcess> StartEdgeAsync(int port, params IPEndPoint[] mediaNodes) =>
        StartEdgeAsync(port, platform.SipEndPoint("router"), mediaNodes);

    private static Task<ServiceProcess> StartEdgeAsync(int port, IPEndPoint router, params IPEndPoint[] mediaNodes) =>
        StartEdgeAsync(port, router, mediaNodes, new Dictionary<string, string>());

    private static Task<ServiceProcess> StartEdgeAsync(int port, IPEndPoint router, IPEndPoint[] mediaNodes, Dictionary<string, string> environment)
    {
        environment = new Dictionary<string, string>(environment)
        {
            ["Sip__Port"] = port.ToString(),
            ["Proxy__Routers__0"] = router.ToString(),
            ["Proxy__Media__Enabled"] = "true",
            ["Proxy__Media__CommandTimeout"] = "00:00:00.300",
        };
        for (int i = 0; i < mediaNodes.Length; i++) environment[$"Proxy__Media__Nodes__{i}"] = mediaNodes[i].ToString();
        return ServiceProcess.StartAsync("Proxy", environment);
    }

    /// <summary>The platform's RTPEngine, run by the media agent: ng on 127.0.0.1:2223, RTP on 30000-30999.</summary>
    private static readonly IPEndPoint PlatformNg = new(IPAddress.Loopback, 2223);
    private const string PlatformRelayPorts = "30[0-9][0-9][0-9]";

    [Fact]
    public async Task A_call_with_rtp_through_the_platform_is_bridged_by_the_agents_rtpengine_both_ways_and_gone_after_bye()
    {
        await using var ng = new NgClient(PlatformNg);
        SippPhone caller = await SippPhone.CreateAsync(platform), callee = await SippPhone.CreateAsync(platform);
        AssertAllSucceeded(await callee.RegisterAsync(), "register");

        // The callee fails the call unless the SDP it gets names one of RTPEngine's ports, not the caller's.
        await using var uas = callee.Answer(SippScenarios.MediaCallee(PlatformRelayPorts), 1, "-rtp_echo", "-mp", FreeSipPort.Next().ToString());
        await Task.Delay(300);
        // Media ports of their own: SIPp's default (6000) may be taken by a parallel run.
        await using var call = caller.Call(callee.User, holdMilliseconds: 6000, scenario: SippScenarios.AuthenticatedCallWithRtp(),
            options: ["-mp", FreeSipPort.Next().ToString()]);
        string callId = $"1-{call.ProcessId}@127.0.0.1"; // SIPp's Call-ID for its first call

        // Mid-call: RTPEngine relays this call's packets both ways (caller → callee, echoed back).
        string seen = "no session";
        bool relayed = false;
        for (int attempt = 0; attempt < 50 && !relayed; attempt++)
        {
            await Task.Delay(200);
            if (!(await ng.ListAsync()).Contains(callId)) continue;
            BDictionary query = await ng.QueryAsync(callId);
            List<long> packets = PacketsPerTag(query);
            seen = $"packets per tag: {string.Join(", ", packets)}; {Describe(query)}";
            relayed = packets.Count(p => p > 0) == 2;
        }
        if (!relayed)
        {
            SippResult callerResult = await call.WaitAsync(TimeSpan.FromSeconds(20)), calleeResult = await uas.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Fail($"call {callId} not relayed both ways ({seen});\ncaller: {callerResult}\ncallee: {calleeResult}");
        }

        AssertAllSucceeded(await call.WaitAsync(TimeSpan.FromSeconds(30)), "caller");
        AssertAllSucceeded(await uas.WaitAsync(TimeSpan.FromSeconds(30)), "callee");
        Assert.DoesNotContain(callId, await ng.ListAsync()); // the BYE deleted it, found through the node in its Route
    }

    [Fact]
    public Task A_late_offer_call_gets_the_relay_in_the_offer_of_its_200_and_in_the_answer_of_its_ack() =>
        // Each side fails the call unless the SDP it gets names RTPEngine: the caller in the 200, the callee in the ACK.
        CallThatChecksItsOwnMediaAsync(SippScenarios.LateOfferCallee(PlatformRelayPorts), SippScenarios.LateOfferCall(PlatformRelayPorts), 1000);

    [Fact]
    public Task A_reinvite_from_the_caller_and_an_update_from_the_callee_are_bridged_on_the_calls_node_from_either_side() =>
        // Each side fails the call unless every SDP it gets names RTPEngine and carries the direction just negotiated:
        // the caller's hold reaches the node through the edge's first Record-Route entry, the callee's UPDATE through
        // the one the edge wrote on the call's second pass, both naming the node.
        CallThatChecksItsOwnMediaAsync(SippScenarios.ReInviteCallee(PlatformRelayPorts), SippScenarios.ReInviteCall(PlatformRelayPorts), 500);

    /// <summary>
    /// A call through the platform between two new registered phones whose scenarios check every SDP they receive;
    /// both must succeed, and afterwards RTPEngine holds nothing of the call (the BYE's delete found its node).
    /// </summary>
    private async Task CallThatChecksItsOwnMediaAsync(string calleeScenario, string callerScenario, int holdMilliseconds)
    {
        await using var ng = new NgClient(PlatformNg);
        SippPhone caller = await SippPhone.CreateAsync(platform), callee = await SippPhone.CreateAsync(platform);
        AssertAllSucceeded(await callee.RegisterAsync(), "register");

        await using var uas = callee.Answer(calleeScenario);
        await Task.Delay(300);
        await using var call = caller.Call(callee.User, holdMilliseconds: holdMilliseconds, scenario: callerScenario);
        string callId = $"1-{call.ProcessId}@127.0.0.1"; // SIPp's Call-ID for its first call

        AssertAllSucceeded(await call.WaitAsync(TimeSpan.FromSeconds(30)), "caller");
        AssertAllSucceeded(await uas.WaitAsync(TimeSpan.FromSeconds(30)), "callee");
        Assert.DoesNotContain(callId, await ng.ListAsync());
    }

    [Fact]
    public async Task With_one_of_two_media_nodes_dead_every_new_call_is_offered_on_the_live_one()
    {
        await using var live = await RtpEngineProcess.StartAsync();
        var dead = new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next());
        using var router = new UdpPeer(); // where the edge sends new calls; it only has to receive them
        int edgePort = FreeSipPort.Next();
        await using var edge = await StartEdgeAsync(edgePort, router.EndPoint, dead, live.NgEndPoint);
        using var phone = new UdpPeer();

        // Calls spread over both nodes by Call-ID: those that meet the dead one first move on to the live one.
        for (int call = 0; call < 6; call++)
        {
            phone.Send(InviteWithSdp(phone), new IPEndPoint(IPAddress.Loopback, edgePort));
            string? forwarded = await router.ReceiveUntilAsync("INVITE", TimeSpan.FromSeconds(5));
            Assert.True(forwarded is not null, $"call {call} never reached the router; edge log:\n{edge.Output}");
            Assert.Matches($@"m=audio {live.PortMin / 100}[0-9][0-9] ", forwarded);
        }
    }

    private static string InviteWithSdp(UdpPeer phone) => WithSdp(SipRequests.Invite(phone.EndPoint, PlatformFixture.Domain), 7000);

    /// <summary><paramref name="message"/> (with <c>Content-Length: 0</c>) carrying an SDP offer or answer of 127.0.0.1:<paramref name="port"/>.</summary>
    private static string WithSdp(string message, int port)
    {
        string sdp = $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\n";
        return message.Replace("Content-Length: 0", $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}")
            .TrimEnd('\r', '\n') + "\r\n\r\n" + sdp;
    }

    [Fact]
    public async Task Calls_entering_are_offered_outside_to_inside_calls_leaving_inside_to_outside_and_each_answer_the_other_way()
    {
        // Two RTPEngine interfaces on loopback: the inside on 127.0.0.1, the outside on 127.0.0.2. Each SDP names the
        // interface that faces whoever receives it.
        await using var engine = await RtpEngineProcess.StartAsync("internal/127.0.0.1", "external/127.0.0.2");
        using var router = new UdpPeer();
        using var phone = new UdpPeer();
        int edgePort = FreeSipPort.Next();
        var edge = new IPEndPoint(IPAddress.Loopback, edgePort);
        await using var edgeProcess = await StartEdgeAsync(edgePort, router.EndPoint, [engine.NgEndPoint], new Dictionary<string, string>
        {
            ["Proxy__Media__InboundDirection__0"] = "external",
            ["Proxy__Media__InboundDirection__1"] = "internal",
        });
        string relayed = $@"c=IN IP4 {{0}}\r\nt=0 0\r\nm=audio {engine.PortMin / 100}[0-9][0-9] ";

        // Entering: a phone calls in; the router gets the inside address, the phone's answer the outside one.
        phone.Send(InviteWithSdp(phone), edge);
        string? toRouter = await router.ReceiveUntilAsync("INVITE", TimeSpan.FromSeconds(5));
        Assert.True(toRouter is not null, $"the call never reached the router; edge log:\n{edgeProcess.Output}");
        Assert.Matches(string.Format(relayed, @"127\.0\.0\.1"), toRouter);
        router.Send(WithSdp(SipRequests.Answer(toRouter, "200 OK"), 8000), edge);
        string? toPhone = await phone.ReceiveUntilAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));
        Assert.True(toPhone is not null, $"no 200 for the phone; edge log:\n{edgeProcess.Output}");
        Assert.Matches(string.Format(relayed, @"127\.0\.0\.2"), toPhone);

        // Leaving: the router sends a call from the inside (an application server's) out through the edge to the phone.
        string outbound = WithSdp(SipRequests.Invite(router.EndPoint, PlatformFixture.Domain), 7002)
            .Replace($"INVITE sip:bob@{PlatformFixture.Domain} SIP/2.0", $"INVITE sip:bob@{phone.EndPoint} SIP/2.0\r\nRoute: <sip:{edge};lr>");
        router.Send(outbound, edge);
        string? toCallee = await phone.ReceiveUntilAsync("INVITE", TimeSpan.FromSeconds(5));
        Assert.True(toCallee is not null, $"the call never reached the phone; edge log:\n{edgeProcess.Output}");
        Assert.Matches(string.Format(relayed, @"127\.0\.0\.2"), toCallee);
        Assert.Matches($@"Record-Route: <sip:{Regex.Escape(edge.ToString())};lr;vp-mo=127\.0\.0\.1~{engine.NgEndPoint.Port}", toCallee);
        phone.Send(WithSdp(SipRequests.Answer(toCallee, "200 OK"), 8002), edge);
        string? toInside = await router.ReceiveUntilAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));
        Assert.True(toInside is not null, $"no 200 for the router; edge log:\n{edgeProcess.Output}");
        Assert.Matches(string.Format(relayed, @"127\.0\.0\.1"), toInside);
    }

    [Fact]
    public async Task With_rtpengine_unreachable_a_new_call_fails_with_503_at_once_instead_of_going_through_without_media()
    {
        int edgePort = FreeSipPort.Next();
        await using var edge = await StartEdgeAsync(edgePort, new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next())); // nothing listens there
        using var phone = new UdpPeer();
        var started = System.Diagnostics.Stopwatch.StartNew();
        phone.Send(InviteWithSdp(phone), new IPEndPoint(IPAddress.Loopback, edgePort));
        string? final = await phone.ReceiveUntilAsync("SIP/2.0 5", TimeSpan.FromSeconds(5));
        Assert.True(final is not null, $"no 5xx; edge log:\n{edge.Output}");
        Assert.StartsWith("SIP/2.0 503 Media relay unavailable", final);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
    }

    private static string Describe(BValue value, int depth = 0) => value switch
    {
        BDictionary d when depth < 6 => "{" + string.Join(", ", d.Entries.Select(e => $"{e.Key}: {Describe(e.Value, depth + 1)}")) + "}",
        BList l when depth < 6 => "[" + string.Join(", ", l.Items.Select(i => Describe(i, depth + 1))) + "]",
        BInteger i => i.Value.ToString(),
        BString t => t.Text.Length > 40 ? "str" : t.Text,
        _ => "...",
    };

    /// <summary>Packets RTPEngine received from each side of the call (per From/To tag).</summary>
    private static List<long> PacketsPerTag(BDictionary query) =>
        query["tags"] is BDictionary tags
            ? tags.Entries.Values.OfType<BDictionary>().Select(tag =>
                (tag["medias"] as BList)?.Items.OfType<BDictionary>()
                    .SelectMany(media => (media["streams"] as BList)?.Items.OfType<BDictionary>() ?? [])
                    .Sum(stream => (stream["stats"] as BDictionary)?["packets"] is BInteger packets ? packets.Value : 0) ?? 0).ToList()
            : [];
}
