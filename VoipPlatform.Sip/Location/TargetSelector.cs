using System.Collections.Concurrent;
using System.Net;
using System.Text;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Chooses among the servers of one service: the lowest priority with a usable server, then by weight. A server is
/// unusable while held down after a failure (transport error, timeout, 503) and while health probes find it down.
/// </summary>
public sealed class TargetSelector(TimeProvider time, TimeSpan holdDown)
{
    private readonly ConcurrentDictionary<IPEndPoint, long> _failedUntil = new();
    private readonly ConcurrentDictionary<IPEndPoint, byte> _probedDown = new();
    private readonly ConcurrentDictionary<IPEndPoint, byte[]> _endPointText = new();
    private readonly Dictionary<IPEndPoint, long> _credit = [];
    private readonly Lock _selection = new();

    /// <summary>False while the server is held down or probed down.</summary>
    public bool IsUsable(NextHopTarget target) =>
        !_probedDown.ContainsKey(target.EndPoint)
        && (!_failedUntil.TryGetValue(target.EndPoint, out long until) || time.GetTimestamp() >= until);

    /// <summary>
    /// Picks a server: the lowest priority that has a usable one, then by weight within it. Weights are honoured by
    /// smooth weighted round robin rather than RFC 2782's random draw: the same shares without the variance (75/25
    /// gives exactly 3 of every 4 picks, spread out). Zero weights share equally only when all are zero. Null when
    /// no server is usable.
    /// </summary>
    public NextHopTarget? Select(IReadOnlyList<NextHopTarget> targets) => Choose(BestUsableGroup(targets));

    /// <summary>
    /// Picks the server for a key by weighted rendezvous (highest random weight) hashing over the usable servers of
    /// the best priority: every replica picks the same one for the same key, shares follow the weights over many
    /// keys, and a server joining or leaving moves only the keys that were or become its own. Used so the calls of
    /// one conference room meet on one server.
    /// </summary>
    public NextHopTarget? SelectByAffinity(IReadOnlyList<NextHopTarget> targets, string key) =>
        OrderByAffinity(targets, KeyHash(Encoding.UTF8.GetBytes(key))).FirstOrDefault(IsUsable);

    /// <summary>The hash of an affinity key (a Call-ID, a room) for <see cref="OrderByAffinity"/>.</summary>
    public static ulong KeyHash(ReadOnlySpan<byte> key) => Fnv1a.Hash(key);

    /// <summary>
    /// The order to try the servers in for one key: usable ones by priority, then by their rendezvous score for the
    /// key (so the first is <see cref="SelectByAffinity"/>'s choice, and fail-over spreads by weight too), then the
    /// unusable ones. Keying by Call-ID keeps every request of a call (the challenged INVITE and its authenticated
    /// retry) on one server, as Kamailio's dispatcher does with its Call-ID hash.
    /// </summary>
    public NextHopTarget[] OrderByAffinity(IReadOnlyList<NextHopTarget> targets, ulong keyHash)
    {
        // Runs for every new request the edge forwards: sorted by insertion (a handful of servers) on stack keys, so
        // the answer is the only allocation.
        int count = targets.Count;
        var ordered = new NextHopTarget[count];
        Span<long> ranks = count <= 32 ? stackalloc long[count] : new long[count];
        Span<double> scores = count <= 32 ? stackalloc double[count] : new double[count];
        bool allZero = true;
        for (int i = 0; i < count; i++) allZero &= targets[i].Weight == 0;
        for (int i = 0; i < count; i++)
        {
            NextHopTarget target = targets[i];
            long rank = ((IsUsable(target) ? 0L : 1L) << 32) | (uint)target.Priority; // usable first, then priority
            double score = Score(target, keyHash, allZero ? 1 : target.Weight);
            int at = i;
            for (; at > 0 && (rank < ranks[at - 1] || rank == ranks[at - 1] && score > scores[at - 1]); at--)
            {
                (ordered[at], ranks[at], scores[at]) = (ordered[at - 1], ranks[at - 1], scores[at - 1]);
            }
            (ordered[at], ranks[at], scores[at]) = (target, rank, score);
        }
        return ordered;
    }

    /// <summary>Weighted rendezvous score: weight / -ln(u), u uniform in (0, 1) from the key and the server.</summary>
    private double Score(NextHopTarget target, ulong keyHash, int weight)
    {
        if (weight == 0) return 0;
        ulong hash = Mix(Fnv1a.Hash(EndPointText(target.EndPoint), keyHash));
        double uniform = ((hash >> 11) + 0.5) / (1UL << 53);
        return weight / -Math.Log(uniform);
    }

    /// <summary>
    /// A server's address as text, the bytes its scores are hashed from, made once per server. Servers come and go
    /// (pods are replaced), so the cache starts over when it holds far more of them than any service has.
    /// </summary>
    private byte[] EndPointText(IPEndPoint endPoint)
    {
        if (_endPointText.TryGetValue(endPoint, out byte[]? text)) return text;
        if (_endPointText.Count >= MaxCachedEndPoints) _endPointText.Clear();
        return _endPointText.GetOrAdd(endPoint, static e => Encoding.ASCII.GetBytes(e.ToString()));
    }

    private const int MaxCachedEndPoints = 1024;

    /// <summary>Avoids a server for the hold-down time after a transport error, a timeout or a 503.</summary>
    public void MarkFailed(IPEndPoint server) =>
        _failedUntil[server] = time.GetTimestamp() + (long)(holdDown.TotalSeconds * time.TimestampFrequency);

    /// <summary>Records what a health probe found: a server probed down is skipped until probed up again.</summary>
    public void ReportProbe(IPEndPoint server, bool alive)
    {
        if (alive) _probedDown.TryRemove(server, out _);
        else _probedDown[server] = 0;
    }

    /// <summary>
    /// MurmurHash3's 64-bit finalizer: FNV-1a leaves the high bits of nearly equal inputs (two addresses differing in
    /// one digit) correlated, which would let one server win most keys.
    /// </summary>
    private static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }

    /// <summary>Smooth weighted round robin within one group of usable servers of equal priority.</summary>
    private NextHopTarget? Choose(List<NextHopTarget> group)
    {
        if (group.Count == 0) return null;
        bool allZero = group.All(t => t.Weight == 0);
        lock (_selection)
        {
            NextHopTarget? chosen = null;
            long total = 0, chosenCredit = long.MinValue;
            foreach (NextHopTarget target in group)
            {
                int weight = allZero ? 1 : target.Weight;
                total += weight;
                long credit = _credit.GetValueOrDefault(target.EndPoint) + weight;
                _credit[target.EndPoint] = credit;
                if (credit > chosenCredit) (chosen, chosenCredit) = (target, credit);
            }
            _credit[chosen!.EndPoint] = chosenCredit - total;
            return chosen;
        }
    }

    private List<NextHopTarget> BestUsableGroup(IReadOnlyList<NextHopTarget> targets)
    {
        var usable = targets.Where(IsUsable).ToList();
        if (usable.Count == 0) return usable;
        int best = usable.Min(t => t.Priority);
        usable.RemoveAll(t => t.Priority != best);
        return usable;
    }
}
