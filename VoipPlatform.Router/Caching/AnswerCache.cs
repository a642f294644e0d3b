using System.Collections.Concurrent;

namespace VoipPlatform.Router.Caching;

/// <summary>
/// One kind of the API's answers (plans, credentials, served domains), reused for at most a max age and only while
/// <see cref="DirectoryCache"/> vouches for them. Every entry belongs to the table of one directory generation: a flush
/// swaps in an empty table, so nothing of the old generation is ever served again, and an answer asked for under an
/// older generation is never inserted (<see cref="Add"/>).
/// </summary>
/// <remarks>
/// <para>The hit path is a volatile read, one dictionary lookup and a timestamp compare: no lock, no allocation.</para>
/// <para>
/// Renewed before it runs out: past a refresh point, drawn at random between 70 % and 90 % of the max age, an
/// answer is still served and the first reader is told to ask again in the background. Without it the
/// answers asked for together ran out together: at 7,000 registrations/s over 10,000 users every credential came
/// due within about a second of the others once a minute, the API got thousands of questions at once and the
/// registrations waiting on them were retransmitted. Late in the max age, so that hot answers cost the API little
/// more than they did without renewal (a quarter more questions); max age still bounds what is served.
/// </para>
/// </remarks>
public sealed class AnswerCache<TKey, TValue> where TKey : notnull
{
    private sealed class Table(long generation, IEqualityComparer<TKey>? comparer)
    {
        public readonly long Generation = generation;
        public readonly ConcurrentDictionary<TKey, Entry> Entries = new(comparer);
        public int Count;
    }

    private readonly record struct Entry(TValue Value, long RefreshAt, long ExpiresAt);

    /// <summary>Where in its max age an answer's refresh point may fall (drawn uniformly in between).</summary>
    internal const double RefreshFrom = 0.7, RefreshUntil = 0.9;

    private readonly DirectoryCache _directory;
    private readonly KeyValuePair<string, object?> _metricTag;
    private readonly IEqualityComparer<TKey>? _comparer;
    private readonly TimeProvider _time;
    private readonly long _maxAgeTicks;
    private readonly int _maxEntries;
    private volatile Table _table;

    internal AnswerCache(string name, DirectoryCache directory, TimeSpan maxAge, int maxEntries, TimeProvider time,
        IEqualityComparer<TKey>? comparer = null)
    {
        _metricTag = new KeyValuePair<string, object?>("cache", name);
        _directory = directory;
        _comparer = comparer;
        _time = time;
        _maxAgeTicks = (long)(maxAge.TotalSeconds * time.TimestampFrequency);
        _maxEntries = maxEntries;
        _table = new Table(0, comparer);
    }

    /// <summary>False when the max age is 0: every question goes to the API.</summary>
    public bool Enabled => _maxAgeTicks > 0;

    /// <summary>Answers in the current table (for tests and diagnostics).</summary>
    public int Count => _table.Entries.Count;

    /// <summary>
    /// The cached answer for <paramref name="key"/>, if there is one the directory still vouches for;
    /// <paramref name="renew"/> tells the one caller that gets it to ask the API again and <see cref="Add"/> the answer
    /// (in the background: the answer returned is still good until its max age).
    /// </summary>
    public bool TryGet(TKey key, out TValue value, out bool renew)
    {
        renew = false;
        Table table = _table;
        if (Enabled && _directory.IsLive && table.Entries.TryGetValue(key, out Entry entry))
        {
            long now = _time.GetTimestamp();
            if (now < entry.ExpiresAt)
            {
                CacheMetrics.Hits.Add(1, _metricTag);
                value = entry.Value;
                // Only the reader that moves the refresh point out of reach renews: one question per answer.
                renew = now >= entry.RefreshAt && table.Entries.TryUpdate(key, entry with { RefreshAt = long.MaxValue }, entry);
                return true;
            }
            if (table.Entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry))) Interlocked.Decrement(ref table.Count);
        }
        CacheMetrics.Misses.Add(1, _metricTag);
        value = default!;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="value"/>, which the API answered to a question asked under <paramref name="ticket"/>
    /// (<see cref="DirectoryCache.Ticket"/>, taken before asking): dropped when the directory changed, or the
    /// subscription was down, at any time since.
    /// </summary>
    public void Add(TKey key, TValue value, long ticket)
    {
        Table table = _table;
        if (!Enabled || ticket < 0 || table.Generation != ticket) return;
        long now = _time.GetTimestamp();
        long refreshAt = now + (long)(_maxAgeTicks * (RefreshFrom + Random.Shared.NextDouble() * (RefreshUntil - RefreshFrom)));
        var entry = new Entry(value, refreshAt, now + _maxAgeTicks);
        if (!table.Entries.TryAdd(key, entry))
        {
            table.Entries[key] = entry;
            return;
        }
        if (Interlocked.Increment(ref table.Count) > _maxEntries)
        {
            // Full: start over rather than track usage per entry, which would cost on every hit. The hot answers come
            // back with the next calls. Same generation, so answers in flight may still be added.
            Interlocked.CompareExchange(ref _table, new Table(table.Generation, _comparer), table);
        }
    }

    /// <summary>Drops every answer and accepts only answers asked under <paramref name="generation"/> from now on.</summary>
    internal void Reset(long generation) => _table = new Table(generation, _comparer);
}
