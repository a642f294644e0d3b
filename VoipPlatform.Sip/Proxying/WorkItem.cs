using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>One unit of work for a worker: a received message, or a transaction timer that fired.</summary>
internal readonly struct WorkItem
{
    private WorkItem(SipMessage? message, IPEndPoint? source, Transaction? transaction, TransactionTimer timer, ITimer? firedTimer)
    {
        Message = message;
        Source = source;
        Transaction = transaction;
        Timer = timer;
        FiredTimer = firedTimer;
    }

    public SipMessage? Message { get; }
    public IPEndPoint? Source { get; }
    public Transaction? Transaction { get; }
    public TransactionTimer Timer { get; }

    /// <summary>The timer instance that fired: a timer replaced since then is stale and ignored.</summary>
    public ITimer? FiredTimer { get; }

    public static WorkItem Received(SipMessage message, IPEndPoint source) => new(message, source, null, default, null);

    public static WorkItem TimerFired(Transaction transaction, TransactionTimer timer, ITimer firedTimer) =>
        new(null, null, transaction, timer, firedTimer);
}
