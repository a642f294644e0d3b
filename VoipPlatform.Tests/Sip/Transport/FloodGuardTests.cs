using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Transport;

public class FloodGuardTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");

    private static (FloodGuard Guard, FakeTimeProvider Time) Create(int rate, params string[] trusted)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new FloodProtectionOptions { RequestsPerSecond = rate, TrustedNetworks = trusted };
        return (new FloodGuard(options, time, NullLogger<FloodGuard>.Instance), time);
    }

    [Fact]
    public void A_source_gets_its_rate_and_no_more_while_others_are_unaffected()
    {
        var (guard, time) = Create(rate: 5);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => guard.Admit(Flooder)));
        Assert.True(guard.Admit(Neighbour));

        time.Advance(TimeSpan.FromMilliseconds(400)); // 2 tokens back at 5/s
        Assert.Equal(2, Enumerable.Range(0, 20).Count(_ => guard.Admit(Flooder)));
    }

    [Fact]
    public void Trusted_networks_and_a_zero_rate_are_never_limited()
    {
        var (trusting, _) = Create(rate: 1, "127.0.0.0/8");
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(trusting.Admit(Flooder)));

        var (off, _) = Create(rate: 0);
        Assert.False(off.IsEnabled);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(off.Admit(Flooder)));
    }

    [Fact]
    public async Task Over_a_real_socket_a_flooding_source_is_cut_and_its_neighbour_still_answered()
    {
        using var flooder = new UdpPeer("127.0.0.2");
        using var neighbour = new UdpPeer("127.0.0.3");
        await using var hop = InProcessHop.Start(new FixedNextHop(new IPEndPoint(IPAddress.Loopback, 9)),
            flood: new FloodProtectionOptions { RequestsPerSecond = 10 });

        static string Options(UdpPeer from, int n) => $"""
            OPTIONS sip:probe@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP {from.EndPoint};branch=z9hG4bK-flood-{n}
            From: <sip:probe@127.0.0.1>;tag=f
            To: <sip:probe@127.0.0.1>
            Call-ID: flood-{n}-{Guid.NewGuid():N}
            CSeq: 1 OPTIONS
            Max-Forwards: 0
            Content-Length: 0


            """;

        for (int n = 0; n < 100; n++) flooder.Send(Options(flooder, n), hop.EndPoint);
        neighbour.Send(Options(neighbour, 1000), hop.EndPoint);

        // Generous first wait: the suite shares 2 cores with the AppHost tests. Then whatever else comes soon.
        string? firstAnswer = await flooder.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(firstAnswer);
        List<string> flooderAnswers = [firstAnswer, .. await flooder.DrainAsync(TimeSpan.FromSeconds(1))];
        Assert.InRange(flooderAnswers.Count, 10, 30); // the burst, plus what refilled while 100 datagrams arrived
        Assert.StartsWith("SIP/2.0 483", await neighbour.ReceiveAsync(TimeSpan.FromSeconds(5)));
    }
}
