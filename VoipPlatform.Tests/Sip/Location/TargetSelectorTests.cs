using System.Net;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Tests.Sip.Location;

/// <summary>Choosing among the servers of a service: affinity by rendezvous hashing, probe state, try order.</summary>
public sealed class TargetSelectorTests
{
    private readonly TargetSelector _selector = new(TimeProvider.System, TimeSpan.FromSeconds(30));

    private static NextHopTarget Server(int n, int priority = 10, int weight = 10) =>
        new($"s{n}", new IPEndPoint(IPAddress.Parse($"127.0.0.{n}"), 5080), priority, weight);

    private static readonly string[] Rooms = Enumerable.Range(0, 600).Select(i => $"room-{i}").ToArray();

    [Fact]
    public void The_same_key_always_gets_the_same_server_and_keys_spread_over_all_servers()
    {
        NextHopTarget[] servers = [Server(1), Server(2), Server(3)];
        var first = Rooms.ToDictionary(room => room, room => _selector.SelectByAffinity(servers, room)!);
        Assert.All(Rooms, room => Assert.Equal(first[room], _selector.SelectByAffinity(servers.Reverse().ToArray(), room)));
        Assert.All(servers, server => Assert.InRange(first.Values.Count(s => s == server), 150, 250)); // about a third each
    }

    [Fact]
    public void A_server_joining_or_leaving_moves_only_the_keys_it_takes_or_held()
    {
        NextHopTarget[] three = [Server(1), Server(2), Server(3)];
        NextHopTarget[] four = [.. three, Server(4)];
        var before = Rooms.ToDictionary(room => room, room => _selector.SelectByAffinity(three, room)!);
        var after = Rooms.ToDictionary(room => room, room => _selector.SelectByAffinity(four, room)!);

        var moved = Rooms.Where(room => before[room] != after[room]).ToList();
        Assert.All(moved, room => Assert.Equal(Server(4), after[room])); // a move only ever goes to the newcomer
        Assert.InRange(moved.Count, 100, 200); // about a quarter of the rooms, not a reshuffle

        _selector.ReportProbe(Server(2).EndPoint, alive: false); // server 2 stops answering probes
        var without2 = Rooms.ToDictionary(room => room, room => _selector.SelectByAffinity(three, room)!);
        Assert.All(Rooms.Where(room => before[room] != Server(2)), room => Assert.Equal(before[room], without2[room]));
        Assert.DoesNotContain(Server(2), without2.Values);
    }

    [Fact]
    public void A_server_probed_down_gets_nothing_until_probed_up()
    {
        NextHopTarget[] servers = [Server(1), Server(2)];
        _selector.ReportProbe(Server(1).EndPoint, alive: false);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(Server(2), _selector.Select(servers)));
        Assert.Equal([Server(2), Server(1)], _selector.OrderByAffinity(servers, TargetSelector.KeyHash("call-1"u8)));

        _selector.ReportProbe(Server(1).EndPoint, alive: true);
        Assert.Contains(Server(1), Enumerable.Range(0, 4).Select(_ => _selector.Select(servers)));
    }

    [Fact]
    public void The_try_order_per_call_id_follows_the_weights_and_keeps_the_backup_priority_last()
    {
        NextHopTarget[] servers = [Server(1, priority: 20), Server(2, priority: 10, weight: 1), Server(3, priority: 10, weight: 3)];
        var orders = Enumerable.Range(0, 4000).Select(i => _selector.OrderByAffinity(servers, TargetSelector.KeyHash(System.Text.Encoding.ASCII.GetBytes($"{i}@host")))).ToList();
        Assert.All(orders, order => Assert.Equal("s1", order[^1].Host)); // the backup priority always last
        double share = orders.Count(order => order[0].Host == "s3") / 4000.0;
        Assert.InRange(share, 0.75 * 0.9, 0.75 * 1.1); // 3:1 by weight

        var again = _selector.OrderByAffinity(servers.Reverse().ToArray(), TargetSelector.KeyHash("17@host"u8));
        Assert.Equal(orders[17], again); // the same call always gets the same order
    }
}
