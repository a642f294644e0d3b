using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VoipPlatform.Sip.Diagnostics;

namespace VoipPlatform.Sip.Transactions;

/// <summary>
/// Non-INVITE server transactions in the Completed state (RFC 3261 section 17.2.2), reduced to the one thing that
/// state still does: answer a retransmitted request with the final response, until timer J ends it.
/// </summary>
/// <remarks>
/// <para>
/// Why not keep the <see cref="ServerTransaction"/>: under thousands of REGISTERs per second each 200's transaction
/// lived timer J (32 s) as a dozen heap objects plus a pooled buffer, outlived every gen0 and gen1 collection and was
/// copied by both. Here an entry is a struct in a ring, the response is copied into large chunks that are reused, and
/// only the key string and the target address (both made before) stay on the heap.
/// </para>
/// <para>
/// Every entry lingers the same time, so entries expire in the order they were added: the ring is a FIFO, swept from
/// its head, and needs no timer per entry. Owned by one worker: never touched from two threads.
/// </para>
/// </remarks>
internal sealed class CompletedTransactions
{
    /// <summary>Size of the chunks responses are copied into: large enough for the large-object heap, which never moves them.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Empty chunks kept for reuse; more are left to the GC (after a burst, memory goes back).</summary>
    private const int SpareChunks = 8;

    private readonly TimeProvider _time;
    private readonly long _linger;
    private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Stack<Chunk> _spare = new();
    private Entry[] _ring = new Entry[1024];
    private long _head; // sequence number of the oldest entry
    private long _tail; // sequence number the next entry gets
    private Chunk? _current;

    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="linger">Timer J: how long an entry answers retransmissions.</param>
    public CompletedTransactions(TimeProvider time, TimeSpan linger)
    {
        _time = time;
        _linger = (long)(linger.TotalSeconds * time.TimestampFrequency);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Entries held (some may be past timer J until the next <see cref="Expire"/>, which the owner schedules).</summary>
    public int Count => (int)(_tail - _head);

    /// <summary>How long until the oldest entry's timer J runs out (zero when it has); null when none is held.</summary>
    public TimeSpan? NextExpiry
    {
        get
        {
            if (Count == 0) return null;
            long now = _time.GetTimestamp();
            return _time.GetElapsedTime(now, Math.Max(now, At(_head).ExpiresAt));
        }
    }

    /// <summary>Keeps the final response sent for the transaction <paramref name="key"/>, which then ends.</summary>
    /// <param name="key">The server transaction key (<see cref="TransactionKeys.WriteServerKey"/>).</param>
    /// <param name="response">The final response as sent.</param>
    /// <param name="target">Where it was sent, and where a resend goes.</param>
    public void Add(string key, ReadOnlySpan<byte> response, IPEndPoint target)
    {
        if (Count == _ring.Length) Grow();
        Chunk chunk = Place(response.Length, out int offset);
        response.CopyTo(chunk.Bytes.AsSpan(offset));
        chunk.Live++;
        long sequence = _tail++;
        At(sequence) = new Entry(key, target, chunk, offset, response.Length, _time.GetTimestamp() + _linger);
        _index[key] = sequence; // a key whose earlier entry ran out but is not swept yet maps to the new one
        SipMetrics.ActiveTransactions.Add(1);
    }

    /// <summary>Finds the completed transaction a retransmitted request belongs to, while its timer J runs.</summary>
    /// <param name="key">The request's server transaction key.</param>
    /// <param name="response">The final response to send again.</param>
    /// <param name="target">Where to send it.</param>
    public bool TryGet(ReadOnlySpan<char> key, out ReadOnlySpan<byte> response, out IPEndPoint? target)
    {
        if (_lookup.TryGetValue(key, out long sequence))
        {
            ref Entry entry = ref At(sequence);
            if (entry.ExpiresAt > _time.GetTimestamp())
            {
                response = entry.Chunk.Bytes.AsSpan(entry.Offset, entry.Length);
                target = entry.Target;
                return true;
            }
        }
        response = default;
        target = null;
        return false;
    }

    /// <summary>Ends every transaction whose timer J ran out.</summary>
    public void Expire()
    {
        long now = _time.GetTimestamp();
        while (Count > 0 && At(_head).ExpiresAt <= now) RemoveHead();
    }

    /// <summary>Ends them all (the worker stops).</summary>
    public void Clear()
    {
        while (Count > 0) RemoveHead();
    }

    private void RemoveHead()
    {
        ref Entry entry = ref At(_head);
        ref long mapped = ref CollectionsMarshal.GetValueRefOrNullRef(_index, entry.Key);
        if (!Unsafe.IsNullRef(ref mapped) && mapped == _head) _index.Remove(entry.Key);
        Chunk chunk = entry.Chunk;
        if (--chunk.Live == 0)
        {
            if (chunk == _current) chunk.Used = 0; // nothing points into it: fill it from the start again
            else Recycle(chunk);
        }
        entry = default; // let go of the key and the address
        _head++;
        SipMetrics.ActiveTransactions.Add(-1);
    }

    /// <summary>Room for <paramref name="length"/> bytes: the current chunk, a fresh one, or an array of its own when larger than a chunk.</summary>
    private Chunk Place(int length, out int offset)
    {
        if (length > ChunkSize)
        {
            offset = 0;
            return new Chunk(new byte[length]);
        }
        if (_current is null || _current.Used + length > ChunkSize)
        {
            _current = _spare.TryPop(out Chunk? spare) ? spare : new Chunk(new byte[ChunkSize]);
        }
        offset = _current.Used;
        _current.Used += length;
        return _current;
    }

    private void Recycle(Chunk chunk)
    {
        if (chunk.Bytes.Length != ChunkSize || _spare.Count >= SpareChunks) return;
        chunk.Used = 0;
        _spare.Push(chunk);
    }

    private void Grow()
    {
        var ring = new Entry[_ring.Length * 2];
        for (long sequence = _head; sequence < _tail; sequence++) ring[sequence & (ring.Length - 1)] = At(sequence);
        _ring = ring;
    }

    private ref Entry At(long sequence) => ref _ring[sequence & (_ring.Length - 1)];

    private readonly record struct Entry(string Key, IPEndPoint Target, Chunk Chunk, int Offset, int Length, long ExpiresAt);

    /// <summary>A block responses are copied into, in order; reusable once no entry points into it.</summary>
    private sealed class Chunk(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
        public int Used { get; set; }
        public int Live { get; set; }
    }
}
