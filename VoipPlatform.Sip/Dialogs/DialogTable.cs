using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Dialogs;

/// <summary>
/// The calls established through one worker: a Call-ID hash and when the call was last seen, nothing more. Enough to
/// know when a draining hop may stop (no call left that still needs it for its BYE) and to report active calls,
/// without keeping dialog state. A call is counted from the 2xx to its INVITE until its BYE, or until it has been
/// silent for the dialog timeout (a UA that vanished without BYE). Touched only by its worker's thread.
/// </summary>
internal sealed class DialogTable(TimeProvider time, TimeSpan timeout)
{
    private const int SweepEvery = 1024;
    private readonly Dictionary<ulong, long> _lastSeen = [];
    private readonly long _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
    private int _untilSweep = SweepEvery;
    private volatile int _count;

    /// <summary>Calls in the table (read from other threads for drain and metrics).</summary>
    public int Count => _count;

    /// <summary>A 2xx to an initial INVITE went upstream: the call is up.</summary>
    public void Established(ReadOnlySpan<byte> callId)
    {
        if (_lastSeen.TryAdd(Fnv1a.Hash(callId), time.GetTimestamp())) Changed(+1);
        if (--_untilSweep == 0) Sweep();
    }

    /// <summary>An in-dialog request: BYE ends the call, anything else shows it is still alive.</summary>
    public void InDialogRequest(SipMethod method, ReadOnlySpan<byte> callId)
    {
        ulong key = Fnv1a.Hash(callId);
        if (method == SipMethod.Bye)
        {
            if (_lastSeen.Remove(key)) Changed(-1);
        }
        else if (_lastSeen.ContainsKey(key))
        {
            _lastSeen[key] = time.GetTimestamp();
        }
    }

    /// <summary>Forgets calls silent for longer than the timeout.</summary>
    public void Sweep()
    {
        _untilSweep = SweepEvery;
        long oldest = time.GetTimestamp() - _timeoutTicks;
        foreach (var (key, seen) in _lastSeen)
        {
            if (seen < oldest && _lastSeen.Remove(key)) Changed(-1);
        }
    }

    private void Changed(int delta)
    {
        _count = _lastSeen.Count;
        SipMetrics.ActiveDialogs.Add(delta);
    }
}
