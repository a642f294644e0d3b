using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// The transaction timers of one worker, kept by the worker itself: a heap ordered by due time and one system timer
/// armed at the earliest. A proxy starts and stops several timers per transaction (retransmit, timeout, linger);
/// as system timers each took the runtime's shared timer-queue lock twice and lived in lists its timer thread walked,
/// which cost an edge proxy about a third of its CPU under load. Here starting or stopping one is a heap insert or a
/// flag, on the worker's thread, without a lock.
/// </summary>
/// <remarks>
/// Everything but the system timer's callback runs on the worker's thread. Stopped timers stay in the heap until they
/// come due or until they outnumber the running ones, when the heap is rebuilt without them (bounded memory).
/// </remarks>
internal sealed class WorkerTimers : IDisposable
{
    /// <summary>
    /// Timers due within this window of the earliest fire together: under load the system timer then fires at most
    /// about every couple of milliseconds rather than once per transaction timer. A timer is never early, at most this late.
    /// </summary>
    private static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(2);

    /// <summary>When the queue was full at the system timer's call: look again this much later.</summary>
    private static readonly TimeSpan RetryWhenFull = TimeSpan.FromMilliseconds(50);

    private readonly PriorityQueue<WorkerTimer, long> _heap = new();
    private readonly TimeProvider _time;
    private readonly Func<bool> _postDue;
    private readonly ITimer _alarm;
    private long _armedAt = long.MaxValue;
    private int _stopped;
    private int _duePosted;

    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="postDue">Asks the worker to call <see cref="FireDue"/>; false when its queue is full.</param>
    public WorkerTimers(TimeProvider time, Func<bool> postDue)
    {
        _time = time;
        _postDue = postDue;
        _alarm = time.CreateTimer(static state => ((WorkerTimers)state!).OnAlarm(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Timers started and neither fired nor stopped.</summary>
    public int Running => _heap.Count - _stopped;

    /// <summary>Entries in the heap, stopped ones included (what memory holds).</summary>
    public int Held => _heap.Count;

    /// <summary>
    /// Starts <paramref name="which"/> of <paramref name="transaction"/>, due after <paramref name="due"/>; dispose the
    /// handle to stop it. A null transaction is the worker's own housekeeping (sweeping completed transactions).
    /// </summary>
    public ITimer Start(Transaction? transaction, TransactionTimer which, TimeSpan due)
    {
        long dueAt = _time.GetTimestamp() + ToTimestamp(due);
        var timer = new WorkerTimer(this, transaction, which);
        _heap.Enqueue(timer, dueAt);
        if (dueAt < _armedAt) Arm(dueAt);
        return timer;
    }

    /// <summary>
    /// Fires every timer that is due: <paramref name="fire"/> gets the transaction, which of its timers, and the handle
    /// (compare it with the transaction's current one: a replaced timer is stale). Then arms the system timer for the next.
    /// </summary>
    public void FireDue(Action<Transaction?, TransactionTimer, ITimer> fire)
    {
        Volatile.Write(ref _duePosted, 0);
        _armedAt = long.MinValue; // timers started by the callbacks below are armed for once, at the end
        long now = _time.GetTimestamp();
        while (_heap.TryPeek(out WorkerTimer? timer, out long dueAt) && dueAt <= now)
        {
            _heap.Dequeue();
            if (timer.IsStopped)
            {
                _stopped--;
                continue;
            }
            timer.IsDone = true;
            fire(timer.Transaction, timer.Which, timer);
        }
        _armedAt = long.MaxValue;
        while (_heap.TryPeek(out WorkerTimer? next, out long nextDue))
        {
            if (!next.IsStopped)
            {
                Arm(Math.Max(nextDue, now + ToTimestamp(Coalescing)));
                return;
            }
            _heap.Dequeue();
            _stopped--;
        }
        _alarm.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _alarm.Dispose();

    private void Arm(long dueAt)
    {
        _armedAt = dueAt;
        long wait = dueAt - _time.GetTimestamp();
        _alarm.Change(wait <= 0 ? TimeSpan.Zero : _time.GetElapsedTime(0, wait), Timeout.InfiniteTimeSpan);
    }

    /// <summary>The system timer's callback, on a thread-pool thread: only asks the worker to look.</summary>
    private void OnAlarm()
    {
        if (Interlocked.Exchange(ref _duePosted, 1) == 1) return;
        if (_postDue()) return;
        // Queue full: look again shortly rather than lose a timeout (which would leak the transaction).
        Volatile.Write(ref _duePosted, 0);
        _alarm.Change(RetryWhenFull, Timeout.InfiniteTimeSpan);
    }

    private void OnStopped()
    {
        _stopped++;
        if (_stopped > 1024 && _stopped > _heap.Count / 2) Compact();
    }

    /// <summary>Rebuilds the heap without the stopped timers (linear), so long stopped timers cannot pile up.</summary>
    private void Compact()
    {
        var running = new List<(WorkerTimer, long)>(_heap.Count - _stopped);
        foreach ((WorkerTimer timer, long dueAt) in _heap.UnorderedItems)
        {
            if (!timer.IsStopped) running.Add((timer, dueAt));
        }
        _heap.Clear();
        _heap.EnqueueRange(running);
        _stopped = 0;
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>A started timer; disposing it stops it (changing it is not supported: start another).</summary>
    private sealed class WorkerTimer(WorkerTimers owner, Transaction? transaction, TransactionTimer which) : ITimer
    {
        public Transaction? Transaction { get; } = transaction;
        public TransactionTimer Which { get; } = which;
        public bool IsStopped { get; private set; }

        /// <summary>Fired: no longer in the heap.</summary>
        public bool IsDone { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException("Start a new timer instead.");

        public void Dispose()
        {
            if (IsStopped || IsDone) return;
            IsStopped = true;
            owner.OnStopped();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
