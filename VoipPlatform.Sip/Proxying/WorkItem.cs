using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>One unit of work for a worker: a received message, a transaction timer that fired, or a routing decision that arrived.</summary>
internal readonly struct WorkItem
{
    private WorkItem(SipMessage? message, IPEndPoint? source, Transaction? transaction, TransactionTimer timer, ITimer? firedTimer,
        RoutingDecision decision = default, bool isRewrittenResponse = false, byte[]? body = null)
    {
        IsRewrittenResponse = isRewrittenResponse;
        Body = body;
        Message = message;
        Source = source;
        Transaction = transaction;
        Timer = timer;
        FiredTimer = firedTimer;
        Decision = decision;
    }

    public SipMessage? Message { get; }
    public IPEndPoint? Source { get; }
    public Transaction? Transaction { get; }
    public TransactionTimer Timer { get; }

    /// <summary>The timer instance that fired: a timer replaced since then is stale and ignored.</summary>
    public ITimer? FiredTimer { get; }

    /// <summary>The routing decision for <see cref="Transaction"/>, when this item delivers one (no timer then).</summary>
    public RoutingDecision Decision { get; }

    /// <summary>True when this item delivers an asynchronous routing decision.</summary>
    public bool IsDecision => Transaction is not null && FiredTimer is null;

    public static WorkItem Received(SipMessage message, IPEndPoint source) => new(message, source, null, default, null);

    /// <summary>True when this item brings back a response whose body rewrite completed (<see cref="Body"/>, null: unchanged).</summary>
    public bool IsRewrittenResponse { get; }

    /// <summary>The rewritten body of <see cref="Message"/>, for <see cref="IsRewrittenResponse"/>.</summary>
    public byte[]? Body { get; }

    public static WorkItem Rewritten(ClientTransaction client, SipMessage response, byte[]? body) =>
        new(response, null, client, default, null, default, isRewrittenResponse: true, body);

    public static WorkItem TimerFired(Transaction transaction, TransactionTimer timer, ITimer firedTimer) =>
        new(null, null, transaction, timer, firedTimer);

    /// <summary>An item that carries nothing: it makes an idle worker refresh what it reports (see draining).</summary>
    public static WorkItem Tick() => default;

    public static WorkItem Decided(ServerTransaction server, RoutingDecision decision) =>
        new(null, null, server, default, null, decision);

    /// <summary>True when this item reports that a stream to <see cref="Source"/> could not be set up (connect or TLS handshake).</summary>
    public bool IsFlowFailure { get; private init; }

    /// <summary>The protocol of the failed flow, for <see cref="IsFlowFailure"/>.</summary>
    public Transport.SipProtocol FailedProtocol { get; private init; }

    public static WorkItem FlowFailed(IPEndPoint peer, Transport.SipProtocol protocol) =>
        new(null, peer, null, default, null) { IsFlowFailure = true, FailedProtocol = protocol };
}
