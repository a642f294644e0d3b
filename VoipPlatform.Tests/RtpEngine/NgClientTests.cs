using System.Net;
using System.Net.Sockets;
using VoipPlatform.RtpEngine.Bencode;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.RtpEngine;

/// <summary>The ng client against a real RTPEngine (userspace, loopback) the test starts.</summary>
public sealed class NgClientTests : IAsyncLifetime
{
    private RtpEngineProcess _engine = null!;
    private NgClient _client = null!;

    public async Task InitializeAsync()
    {
        _engine = await RtpEngineProcess.StartAsync();
        _client = new NgClient(_engine.NgEndPoint);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private static string Sdp(int port) =>
        $"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static int MediaPort(string sdp) =>
        int.Parse(sdp.Split("\r\n").Single(line => line.StartsWith("m=audio ")).Split(' ')[1]);

    [Fact]
    public async Task Offer_answer_query_list_and_delete_round_trip()
    {
        string callId = $"{Guid.NewGuid():N}@test";

        string offered = await _client.OfferAsync(callId, "from-1", Sdp(30_002));
        string answered = await _client.AnswerAsync(callId, "from-1", "to-1", Sdp(30_004));

        // Both sides now talk to RTPEngine's ports, not to each other's.
        Assert.NotEqual(30_002, MediaPort(offered));
        Assert.NotEqual(30_004, MediaPort(answered));
        Assert.Contains("c=IN IP4 127.0.0.1", offered);
        Assert.Contains(callId, await _client.ListAsync());
        BDictionary session = await _client.QueryAsync(callId);
        Assert.Equal("ok", session.Text("result"));
        Assert.IsType<BDictionary>(session["tags"]);

        await _client.DeleteAsync(callId, "from-1");

        Assert.DoesNotContain(callId, await _client.ListAsync());
    }

    [Fact]
    public async Task Over_tcp_an_sdp_too_big_for_one_datagram_is_offered_answered_and_deleted()
    {
        await using var tcp = new NgClient(_engine.TcpNgEndPoint, new NgClientOptions { Transport = NgTransport.Tcp });
        string callId = $"{Guid.NewGuid():N}@test";
        // Video with many codecs and candidates makes SDPs of several kilobytes: beyond one Ethernet frame.
        string big = Sdp(30_012) + string.Concat(Enumerable.Range(0, 120).Select(i => $"a=x-filler-{i}:{new string('v', 40)}\r\n"));
        Assert.True(big.Length > 6000);

        await tcp.PingAsync();
        string offered = await tcp.OfferAsync(callId, "from-1", big);
        string answered = await tcp.AnswerAsync(callId, "from-1", "to-1", Sdp(30_014));

        Assert.NotEqual(30_012, MediaPort(offered));
        Assert.NotEqual(30_014, MediaPort(answered));
        Assert.Contains(callId, await tcp.ListAsync());
        await tcp.DeleteAsync(callId, "from-1");
        Assert.DoesNotContain(callId, await tcp.ListAsync());
    }

    [Fact]
    public async Task Over_tcp_many_commands_in_flight_at_once_each_get_their_own_reply()
    {
        await using var tcp = new NgClient(_engine.TcpNgEndPoint, new NgClientOptions { Transport = NgTransport.Tcp });
        string[] calls = Enumerable.Range(0, 20).Select(i => $"{Guid.NewGuid():N}-{i}@test").ToArray();

        string[] offers = await Task.WhenAll(calls.Select(call => tcp.OfferAsync(call, "f", Sdp(30_100))));

        Assert.Equal(20, offers.Select(MediaPort).Distinct().Count()); // one relay port each: no reply went to the wrong request
        IReadOnlyList<string> listed = await tcp.ListAsync();
        Assert.All(calls, call => Assert.Contains(call, listed));
    }

    [Fact]
    public async Task Over_tcp_a_dead_engine_is_a_typed_timeout_after_the_configured_tries()
    {
        var nowhere = new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next());
        await using var tcp = new NgClient(nowhere, new NgClientOptions { Transport = NgTransport.Tcp, Timeout = TimeSpan.FromMilliseconds(100), Tries = 3 });

        var error = await Assert.ThrowsAsync<NgTimeoutException>(() => tcp.PingAsync());
        Assert.Contains("3 tries", error.Message);
    }

    [Fact]
    public async Task An_error_reply_becomes_a_typed_failure_with_rtpengines_reason()
    {
        var error = await Assert.ThrowsAsync<NgErrorException>(() => _client.AnswerAsync("no-such-call", "f", "t", Sdp(30_006)));

        Assert.Contains("call", error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_lost_request_is_resent_with_identical_bytes_and_answered()
    {
        // A relay between client and engine that drops the first datagram and passes everything after it.
        using var relay = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        relay.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var seen = new List<byte[]>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var relaying = Task.Run(async () =>
        {
            var buffer = new byte[65_535];
            EndPoint? client = null;
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult got = await relay.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                if (got.RemoteEndPoint.Equals(_engine.NgEndPoint))
                {
                    await relay.SendToAsync(buffer.AsMemory(0, got.ReceivedBytes), client!, stop.Token);
                    continue;
                }
                client = got.RemoteEndPoint;
                seen.Add(buffer[..got.ReceivedBytes]);
                if (seen.Count > 1) await relay.SendToAsync(buffer.AsMemory(0, got.ReceivedBytes), _engine.NgEndPoint, stop.Token);
            }
        });
        await using var client = new NgClient((IPEndPoint)relay.LocalEndPoint!, new NgClientOptions { Timeout = TimeSpan.FromMilliseconds(300), Tries = 3 });

        await client.PingAsync();

        Assert.True(seen.Count >= 2);
        Assert.Equal(seen[0], seen[1]);
        await stop.CancelAsync();
        await relaying.ContinueWith(_ => { });
    }

    [Fact]
    public async Task No_engine_means_a_timeout_after_the_configured_tries_not_a_hang()
    {
        await using var client = new NgClient(new IPEndPoint(IPAddress.Loopback, FreeSipPort.Next()), new NgClientOptions { Timeout = TimeSpan.FromMilliseconds(100), Tries = 3 });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<NgTimeoutException>(() => client.PingAsync());

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }
}
