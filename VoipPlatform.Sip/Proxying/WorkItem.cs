using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// One unit of work for a worker: a received message, transaction timers that came due, a routing decision that
/// arrived, or the continuation of a routing policy that awaited something.
/// </summary>
internal readonly struct WorkItem
{
    private WorkItem(SipMessage? message, IPEndPoint? source, Transaction? transaction, RoutingDecision decision = default,
        bool isRewrittenResponse = false, byte[]? body = null)
    {
        IsRewrittenResponse = isRewrittenResponse;
        Body = body;
        Message = message;
        Source = source;
        Transaction = transaction;
        Decision = decision;
    }

    public SipMessage? Message { get; }
    public IPEndPoint? Source { get; }
    public Transaction? Transaction { get; }

    /// <summary>The routing decision for <see cref="Transaction"/>, when this item delivers one.</summary>
    public RoutingDecision Decision { get; }

    /// <summary>True when this item delivers an asynchronous routing decision.</summary>
    public bool IsDecision => Transaction is not null && Message is null;

    /// <summary>True when this item asks the worker to fire its transaction timers that are due.</summary>
    public bool AreTimersDue { get; private init; }

    public static WorkItem Received(SipMessage message, IPEndPoint source) => new(message, source, null);

    /// <summary>True when this item brings back a response whose body rewrite completed (<see cref="Body"/>, null: unchanged).</summary>
    public bool IsRewrittenResponse { get; }

    /// <summary>The rewritten body of <see cref="Message"/>, for <see cref="IsRewrittenResponse"/>.</summary>
    public byte[]? Body { get; }

    public static WorkItem Rewritten(ClientTransaction client, SipMessage response, byte[]? body) =>
        new(response, null, client, default, isRewrittenResponse: true, body);

    public static WorkItem TimersDue() => new(null, null, null) { AreTimersDue = true };

    /// <summary>An item that carries nothing: it makes an idle worker refresh what it reports (see draining).</summary>
    public static WorkItem Tick() => default;

    public static WorkItem Decided(ServerTransaction server, RoutingDecision decision) =>
        new(null, null, server, decision);

    /// <summary>True when this item reports that a stream to <see cref="Source"/> could not be set up (connect or TLS handshake).</summary>
    public bool IsFlowFailure { get; private init; }

    /// <summary>The protocol of the failed flow, for <see cref="IsFlowFailure"/>.</summary>
    public Transport.SipProtocol FailedProtocol { get; private init; }

    /// <summary>A continuation posted through <see cref="WorkerSynchronizationContext"/>, with its <see cref="State"/>.</summary>
    public SendOrPostCallback? Continuation { get; private init; }

    /// <summary>The state of <see cref="Continuation"/>.</summary>
    public object? State { get; private init; }

    public static WorkItem Resume(SendOrPostCallback continuation, object? state) =>
        new(null, null, null) { Continuation = continuation, State = state };

    public static WorkItem FlowFailed(IPEndPoint peer, Transport.SipProtocol protocol) =>
        new(null, peer, null) { IsFlowFailure = true, FailedProtocol = protocol };
}
