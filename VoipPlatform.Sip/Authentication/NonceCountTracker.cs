namespace VoipPlatform.Sip.Authentication;

/// <summary>
/// Remembers the highest nonce-count seen per nonce so a captured request cannot be replayed (RFC 2617 section
/// 3.2.2). Bounded: two generations, the older dropped when the newer fills, so memory stays flat under a flood.
/// Per process: a replay sent to another replica is caught only by the nonce's expiry.
/// </summary>
internal sealed class NonceCountTracker(int capacity)
{
    private readonly Lock _lock = new();
    private Dictionary<string, long> _current = new(StringComparer.Ordinal);
    private Dictionary<string, long> _previous = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="count"/> for the nonce; false when it is not above the last one seen.</summary>
    public bool TryAdvance(string nonce, long count)
    {
        lock (_lock)
        {
            long last = _current.TryGetValue(nonce, out long c) ? c : _previous.TryGetValue(nonce, out long p) ? p : 0;
            if (count <= last) return false;
            if (_current.Count >= Math.Max(1, capacity / 2) && !_current.ContainsKey(nonce))
            {
                _previous = _current;
                _current = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            _current[nonce] = count;
            return true;
        }
    }
}
