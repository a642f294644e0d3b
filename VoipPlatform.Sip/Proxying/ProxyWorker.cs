using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Dialogs;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Transactions;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Sip.Writing;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// One shard of the stateful proxy (RFC 3261 section 16). Every message of a Call-ID lands on the same worker, and
/// a worker handles one item at a time, so the transactions of a call are never touched concurrently and a 180 can
/// never overtake the 200 of the same transaction. Timers post back into the same queue.
/// </summary>
internal sealed partial class ProxyWorker
{
    private readonly Channel<WorkItem> _queue;
    // Wakes the worker's thread; no spinning before it blocks (spinning burns the core the writers need).
    private readonly ManualResetEventSlim _itemsWaiting = new(initialState: false, spinCount: 0);
    private readonly Dictionary<string, ServerTransaction> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientTransaction> _clients = new(StringComparer.Ordinal);
    private readonly CompletedTransactions _completed;
    private readonly Dictionary<string, ServerTransaction>.AlternateLookup<ReadOnlySpan<char>> _serverLookup;
    private readonly Dictionary<string, ClientTransaction>.AlternateLookup<ReadOnlySpan<char>> _clientLookup;
    private readonly ISipTransport _transport;
    private readonly ISipRequestRouter _router;
    private readonly ProxyIdentity _self;
    private readonly SipProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DrainSwitch _drain;
    private readonly DialogTable _dialogs;
    private readonly FlowTokens _flowTokens;
    private readonly WorkerTimers _timers;
    private readonly Action<Transaction?, TransactionTimer, ITimer> _onTimerDue;
    private readonly WorkerSynchronizationContext _context;

    public ProxyWorker(ISipTransport transport, ISipRequestRouter router, ProxyIdentity self, SipProxyOptions options, TimeProvider time, ILogger logger,
        DrainSwitch drain, FlowTokens flowTokens)
    {
        _flowTokens = flowTokens;
        _drain = drain;
        _dialogs = new DialogTable(time, options.DialogTimeout);
        _transport = transport;
        _router = router;
        _self = self;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of blocking the receive loop
        });
        _timers = new WorkerTimers(time, () => TryPost(WorkItem.TimersDue()));
        _onTimerDue = OnTimerDue;
        _context = new WorkerSynchronizationContext(this);
        _serverLookup = _servers.GetAlternateLookup<ReadOnlySpan<char>>();
        _clientLookup = _clients.GetAlternateLookup<ReadOnlySpan<char>>();
        _completed = new CompletedTransactions(time, options.Timers.NonInviteLinger);
    }

    private TransactionTimerOptions Timers => _options.Timers;

    /// <summary>Number of transactions held, completed non-INVITE ones included (for tests and overload decisions).</summary>
    public int TransactionCount => _servers.Count + _clients.Count + _completed.Count;

    /// <summary>Calls established through this worker and not yet ended.</summary>
    public int ActiveDialogs => _dialogs.Count;

    public bool TryPost(in WorkItem item)
    {
        if (!_queue.Writer.TryWrite(item)) return false;
        Interlocked.Increment(ref _queued);
        _itemsWaiting.Set();
        return true;
    }

    /// <summary>Posts an item that must not be lost, waiting for room in the queue (from outside the worker only).</summary>
    private async ValueTask PostAsync(WorkItem item)
    {
        await _queue.Writer.WriteAsync(item).ConfigureAwait(false);
        Interlocked.Increment(ref _queued);
        _itemsWaiting.Set();
    }

    // Counted beside the channel: its own count takes the channel's lock, which the overload check on every request
    // then fought over with the receive thread (a third of the router's lock contention under registrations).
    private int _queued;

    /// <summary>Items waiting in the queue (momentarily low while a writer is between writing and counting).</summary>
    public int QueueLength => Math.Max(0, Volatile.Read(ref _queued));

    /// <summary>True while the queue is filled past <see cref="SipProxyOptions.OverloadThreshold"/>.</summary>
    private bool IsOverloaded => QueueLength >= _options.QueueCapacity * _options.OverloadThreshold;

    /// <summary>True on the worker's own thread, where its transactions may be touched.</summary>
    private bool IsOnWorker => ReferenceEquals(SynchronizationContext.Current, _context);

    public void Complete()
    {
        _queue.Writer.TryComplete();
        _itemsWaiting.Set();
    }

    /// <summary>
    /// The worker's loop, on a thread of its own: it blocks in the kernel while its queue is empty instead of
    /// bouncing through thread-pool continuations (whose spinning between messages cost a fifth of the proxy's CPU)
    /// or waiting on a task (whose wait spins before it blocks: 14 % of a router's busy time under load).
    /// </summary>
    public void Run()
    {
        SynchronizationContext.SetSynchronizationContext(_context);
        ChannelReader<WorkItem> reader = _queue.Reader;
        while (true)
        {
            while (reader.TryRead(out WorkItem item))
            {
                Interlocked.Decrement(ref _queued);
                Process(item);
            }
            if (reader.Completion.IsCompleted) break;
            // Reset, then look again: an item posted before the reset is seen here, one posted after it sets the
            // event (writers post, then set), so no wake-up is lost.
            _itemsWaiting.Reset();
            if (reader.Count > 0 || reader.Completion.IsCompleted) continue;
            _itemsWaiting.Wait();
        }
        foreach (ServerTransaction server in _servers.Values.ToArray()) server.Terminate();
        foreach (ClientTransaction client in _clients.Values.ToArray()) client.Terminate();
        _completed.Clear();
        _timers.Dispose();
    }

    private void Process(in WorkItem item)
    {
        Activity.Current = null; // spans are parented explicitly; nothing leaks from the previous item
        try
        {
            if (item.IsRewrittenResponse)
            {
                OnRewrittenResponse((ClientTransaction)item.Transaction!, item.Message!, item.Body);
            }
            else if (item.Message is { } message)
            {
                if (message.IsRequest) HandleRequest(message, item.Source!);
                else HandleResponse(message, item.Source!);
            }
            else if (item.Continuation is { } continuation)
            {
                continuation(item.State);
            }
            else if (item.IsDecision)
            {
                Execute((ServerTransaction)item.Transaction!, item.Decision);
            }
            else if (item.IsFlowFailure)
            {
                OnFlowFailed(item.Source!, item.FailedProtocol);
            }
            else if (item.AreTimersDue)
            {
                _timers.FireDue(_onTimerDue);
            }
        }
        catch (Exception ex)
        {
            // A bug on one message must not stop the shard: log it and go on with the next.
            _logger.LogError(ex, "Unhandled error while processing a SIP message");
        }
        finally
        {
            item.Message?.Release();
        }
        if (_drain.IsDraining) CountUnfinished();
    }

    private volatile int _unfinished = -1;

    /// <summary>
    /// Transactions still waiting for their final answer, as of the last item this worker processed while draining
    /// (-1 before). Transactions that only linger to absorb retransmissions do not count: they need no peer.
    /// </summary>
    public int UnfinishedTransactions => _unfinished;

    private void CountUnfinished()
    {
        int count = 0;
        foreach (ServerTransaction server in _servers.Values)
        {
            if (!server.HasFinalResponse && server.State != TransactionState.Terminated) count++;
        }
        foreach (ClientTransaction client in _clients.Values)
        {
            if (client.State is TransactionState.Trying or TransactionState.Proceeding) count++;
        }
        _unfinished = count;
        _dialogs.Sweep();
    }

    // ---- timers -------------------------------------------------------------------------------------------

    private void Schedule(Transaction transaction, TransactionTimer which, TimeSpan due) =>
        transaction.SetTimer(which, _timers.Start(transaction, which, due));

    /// <summary>A timer came due: acted on unless the transaction has replaced or stopped it since.</summary>
    private void OnTimerDue(Transaction? transaction, TransactionTimer which, ITimer timer)
    {
        if (transaction is null)
        {
            if (ReferenceEquals(timer, _completedSweep)) SweepCompleted();
            return;
        }
        if (!ReferenceEquals(transaction.Timer(which), timer)) return;
        try
        {
            OnTimer(transaction, which);
        }
        catch (Exception ex)
        {
            // One failing timer must not keep the others that came due with it from firing.
            _logger.LogError(ex, "Unhandled error in a transaction timer");
        }
    }

    private void OnTimer(Transaction transaction, TransactionTimer which)
    {
        switch (transaction)
        {
            case ServerTransaction server: OnServerTimer(server, which); break;
            case ClientTransaction client: OnClientTimer(client, which); break;
        }
    }

    // ---- sending -----------------------------------------------------------------------------------------

    private bool Send(OutgoingMessage message, IPEndPoint destination) => _transport.Send(message.Bytes, destination);

    private bool Send(ClientTransaction client) => client.ServerName is null
        ? _transport.Send(client.LastSent!.Bytes, client.Peer, client.Protocol)
        : _transport.Send(client.LastSent!.Bytes, client.Peer, client.Protocol, client.ServerName);

    /// <summary>
    /// A stream to <paramref name="peer"/> could not be set up (connection refused, TLS handshake or certificate
    /// failed): the requests waiting for it fail as if answered 503 (RFC 3261 section 16.9), so a plan fails over.
    /// </summary>
    private void OnFlowFailed(IPEndPoint peer, SipProtocol protocol)
    {
        List<ClientTransaction>? failed = null;
        foreach (ClientTransaction client in _clients.Values)
        {
            if (client.Protocol == protocol && client.State == TransactionState.Trying && client.Peer.Equals(peer)) (failed ??= []).Add(client);
        }
        foreach (ClientTransaction client in failed ?? [])
        {
            _logger.LogInformation("No {Protocol} connection to {Peer}: the branch fails with 503", protocol, peer);
            SipTracing.End(ref client.Span, SipStatus.ServiceUnavailable);
            TerminateClient(client);
            Settle(client, SipStatus.ServiceUnavailable, null);
        }
    }

    /// <summary>Answers a request without keeping state (malformed requests, retransmission-free cases).</summary>
    private void RespondStateless(SipMessage request, IPEndPoint source, int status, string? reason = null)
    {
        if (request.Method == SipMethod.Ack) return; // ACK is never answered
        SendStateless(request, source, BuildResponse(request, status, reason));
    }

    /// <summary>Sends a response built for <paramref name="request"/> to where its Via says, then frees it.</summary>
    private void SendStateless(SipMessage request, IPEndPoint source, OutgoingMessage response)
    {
        using (response) _transport.Send(response.Bytes, ResponseTarget(request.TopVia, source));
    }

    private static OutgoingMessage BuildResponse(SipMessage request, int status, string? reason) =>
        reason is null
            ? ResponseBuilder.Build(request, status)
            : ResponseBuilder.Build(request, status, System.Text.Encoding.ASCII.GetBytes(reason));

    /// <summary>
    /// Where responses to a request go (RFC 3261 section 18.2.2, RFC 3581): the source address, and the source port
    /// when the client asked for rport or the request came over a stream, else the Via port.
    /// </summary>
    private static IPEndPoint ResponseTarget(ViaValue via, IPEndPoint source) =>
        via.HasRport || via.Port == 0 && source.Port == SipTransportOptions.DefaultSipPort
                     || SipProtocols.FromViaToken(via.Transport) != SipProtocol.Udp // a stream: back on the flow it came on
            ? source
            : new IPEndPoint(source.Address, via.Port == 0 ? SipTransportOptions.DefaultSipPort : via.Port);

    /// <summary>
    /// A branch for a request this hop forwards: the loop hash (<see cref="LoopDetection"/>) then random digits, so
    /// every branch is unique even when one request is forked to several destinations.
    /// </summary>
    private static void NewBranch(SipMessage request, Span<byte> destination)
    {
        ViaValue.MagicCookie.CopyTo(destination);
        "vp"u8.CopyTo(destination[7..]);
        Fnv1a.WriteHex(LoopDetection.Hash(request, request.FirstListElement(HeaderKind.Via)), destination[LoopDetection.HashOffset..]);
        Span<byte> random = stackalloc byte[RandomBranchBytes];
        Random.Shared.NextBytes(random);
        Hex.Write(random, destination[(LoopDetection.HashOffset + LoopDetection.HashDigits)..]);
    }

    private const int RandomBranchBytes = 4;
    private const int BranchLength = LoopDetection.HashOffset + LoopDetection.HashDigits + 2 * RandomBranchBytes;

    /// <summary>A stateless relay's branch: "vs" and a hash of the received branch and Call-ID.</summary>
    private const int StatelessBranchLength = 7 + 2 + 16;
}
