using System.Diagnostics;
using System.Net;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Writing;

namespace VoipPlatform.Sip.Transactions;

/// <summary>What server and client transactions share: key, state, timers, the message to retransmit, the span.</summary>
/// <remarks>Owned by one worker: never touched from two threads, so no locks.</remarks>
internal abstract class Transaction
{
    private readonly ITimer?[] _timers = new ITimer?[(int)TransactionTimer.StepTimeout + 1];

    protected Transaction(string key, bool isInvite, IPEndPoint peer)
    {
        Key = key;
        IsInvite = isInvite;
        Peer = peer;
        SipMetrics.ActiveTransactions.Add(1);
    }

    public string Key { get; }
    public bool IsInvite { get; }
    public IPEndPoint Peer { get; }
    public TransactionState State { get; set; }
    /// <summary>The transaction's span, open until its final response (a field, so it can be ended and cleared by ref).</summary>
    public Activity? Span;

    /// <summary>Current retransmission interval.</summary>
    public TimeSpan Interval { get; set; }

    /// <summary>The message retransmissions resend (request for clients, last response for servers).</summary>
    public OutgoingMessage? LastSent { get; private set; }

    public void ReplaceLastSent(OutgoingMessage message)
    {
        LastSent?.Dispose();
        LastSent = message;
    }

    /// <summary>Gives back the message once nothing will resend it (a completed non-INVITE client transaction).</summary>
    public void DropLastSent()
    {
        LastSent?.Dispose();
        LastSent = null;
    }

    public ITimer? Timer(TransactionTimer which) => _timers[(int)which];

    public void SetTimer(TransactionTimer which, ITimer? timer)
    {
        _timers[(int)which]?.Dispose();
        _timers[(int)which] = timer;
    }

    public void StopTimer(TransactionTimer which) => SetTimer(which, null);

    /// <summary>Releases everything the transaction holds. Idempotent.</summary>
    public virtual void Terminate()
    {
        if (State == TransactionState.Terminated) return;
        State = TransactionState.Terminated;
        for (int i = 0; i < _timers.Length; i++) SetTimer((TransactionTimer)i, null);
        DropLastSent();
        Span?.Dispose();
        Span = null;
        SipMetrics.ActiveTransactions.Add(-1);
    }
}
