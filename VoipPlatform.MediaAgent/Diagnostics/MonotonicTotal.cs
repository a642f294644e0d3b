namespace VoipPlatform.MediaAgent.Diagnostics;

/// <summary>
/// A total that never goes back, fed by RTPEngine's counters, which start from zero again whenever RTPEngine does: an
/// OpenTelemetry counter must be monotonic, so what earlier processes counted is carried over.
/// </summary>
public sealed class MonotonicTotal
{
    private long _carried;
    private long _last;

    /// <summary>Everything counted so far, by every RTPEngine process the agent ran.</summary>
    public long Value => _carried + _last;

    /// <summary>Takes the current process's total.</summary>
    public void Observe(long current)
    {
        // A drop means a new process whose restart was not announced (or raced the poll): carry the old total over.
        if (current < _last) Carry();
        _last = current;
    }

    /// <summary>The process restarted: its successor counts from zero.</summary>
    public void Carry()
    {
        _carried += _last;
        _last = 0;
    }
}
