using System.Collections.Concurrent;

namespace VoipPlatform.Router.Caching;

/// <summary>
/// One kind of the API's answers (plans, credentials, served domains), reused for at most a max age and only while
/// <see cref="DirectoryCache"/> vouches for them. Every entry belongs to the table of one directory generation: a flush
/// swaps in an empty table, so nothing of the old generation is ever served again, and an answer asked for under an
/// older generation is never inserted (<see cref="Add"/>).
/// </summary>
/// <remarks>The hit path is a volatile read, one dictionary lookup and a timestamp compare: no lock, no allocation.</remarks>
public sealed class AnswerCache<TKey, TValue> where TKey : notnull
{
    private sealed class Table(long generation, IEqualityComparer<TKey>? comparer)
    {
        public readonly long Generation = generation;
        public readonly ConcurrentDictionary<TKey, Entry> Entries = new(comparer);
        public int Count;
    }

    private readonly record struct Entry(TValue Value, long ExpiresAt);

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

    /// <summary>The cached answer for <paramref name="key"/>, if there is one the directory still vouches for.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        Table table = _table;
        if (Enabled && _directory.IsLive && table.Entries.TryGetValue(key, out Entry entry))
        {
            if (_time.GetTimestamp() < entry.ExpiresAt)
            {
                CacheMetrics.Hits.Add(1, _metricTag);
                value = entry.Value;
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
        var entry = new Entry(value, _time.GetTimestamp() + _maxAgeTicks);
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
