using System.Net;
using BenchmarkDotNet.Attributes;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Benchmarks;

/// <summary>
/// What the edge pays per new request to order its routers for the request's Call-ID (weighted rendezvous hashing,
/// usable first, then priority, then score): with two routers, as the AppHost and a small deployment run, and eight.
/// </summary>
[MemoryDiagnoser]
public class NextHopSelectionBenchmarks
{
    private static readonly NextHopTarget[] TwoRouters = Routers(2);
    private static readonly NextHopTarget[] EightRouters = Routers(8);
    private readonly TargetSelector _selector = new(TimeProvider.System, TimeSpan.FromSeconds(30));
    private readonly ulong _callId = TargetSelector.KeyHash("NmE5ZjQ2MzI0YjkzOGUxN2QzYzlhYjc3ZWJiZDg5ZTA"u8);

    private static NextHopTarget[] Routers(int count) =>
        Enumerable.Range(0, count).Select(i => new NextHopTarget($"r{i}", new IPEndPoint(IPAddress.Parse($"10.0.0.{i + 1}"), 5070), 10, 50)).ToArray();

    [Benchmark(Description = "order 2 routers for a Call-ID")]
    public NextHopTarget[] TwoTargets() => _selector.OrderByAffinity(TwoRouters, _callId);

    [Benchmark(Description = "order 8 routers for a Call-ID")]
    public NextHopTarget[] EightTargets() => _selector.OrderByAffinity(EightRouters, _callId);
}
