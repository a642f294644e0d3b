using System.Net;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// A transaction-stateful SIP proxy (RFC 3261 section 16) over a transport: the core every SIP-facing service runs,
/// with the next-hop decision left to an <see cref="ISipRequestRouter"/>. Work is sharded by Call-ID over
/// single-threaded workers: parallel across calls, strictly ordered within one.
/// </summary>
public sealed class SipProxyCore : IAsyncDisposable
{
    private readonly ISipTransport _transport;
    private readonly ProxyWorker[] _workers;
    private readonly Thread[] _running;
    private readonly ILogger _logger;
    private readonly FloodGuard? _flood;
    private readonly DrainSwitch _drain = new();

    /// <summary>Creates the core and starts its workers and the transport's receive loop.</summary>
    /// <param name="transport">The bound transport; the core owns it from here on.</param>
    /// <param name="router">Where requests go next.</param>
    /// <param name="options">Core behaviour and timers.</param>
    /// <param name="advertisedAddress">Host written into Via and Record-Route; the bound address when null.</param>
    /// <param name="time">Clock for transaction timers (a fake one in tests).</param>
    /// <param name="logger">Log.</param>
    /// <param name="flood">Per-source rate limit applied to requests before they reach a worker; null for none.</param>
    public SipProxyCore(ISipTransport transport, ISipRequestRouter router, SipProxyOptions options, string? advertisedAddress, TimeProvider time,
        ILogger<SipProxyCore> logger, FloodGuard? flood = null)
    {
        _transport = transport;
        _logger = logger;
        _flood = flood is { IsEnabled: true } ? flood : null;
        int[] otherPorts = new[] { SipProtocol.Tls, SipProtocol.Ws, SipProtocol.Wss }
            .Select(protocol => transport.ListenEndPoint(protocol)?.Port ?? 0).Where(port => port > 0).ToArray();
        Identity = ProxyIdentity.From(transport.LocalEndPoint, advertisedAddress, otherPorts);
        var flowTokens = new FlowTokens(string.IsNullOrEmpty(options.FlowTokenKey) ? null : Convert.FromBase64String(options.FlowTokenKey));
        int count = options.Workers > 0 ? options.Workers : Environment.ProcessorCount;
        _workers = new ProxyWorker[count];
        _running = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            _workers[i] = new ProxyWorker(transport, router, Identity, options, time, logger, _drain, flowTokens);
            _running[i] = new Thread(_workers[i].Run) { IsBackground = true, Name = $"sip-worker-{i}" };
            _running[i].Start();
        }
        transport.OnFlowFailed(FlowFailed);
        transport.Start(Dispatch);
        logger.LogInformation("SIP proxy core listening on udp/{EndPoint} as {SentBy} with {Workers} workers",
            transport.LocalEndPoint, System.Text.Encoding.ASCII.GetString(Identity.SentBy), count);
    }

    internal ProxyIdentity Identity { get; }

    /// <summary>Where the core listens.</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Messages waiting for a worker, across all workers (the backlog overload shedding reacts to).</summary>
    public int QueuedMessages => _workers.Sum(w => w.QueueLength);

    /// <summary>Transactions currently held across all workers (approximate while running).</summary>
    public int TransactionCount => _workers.Sum(w => w.TransactionCount);

    /// <summary>Calls established through this hop and not yet ended (BYE, or silent past the dialog timeout).</summary>
    public int ActiveDialogs => _workers.Sum(w => w.ActiveDialogs);

    /// <summary>True once <see cref="DrainAsync"/> was called: new requests get 503, calls under way are served.</summary>
    public bool IsDraining => _drain.IsDraining;

    /// <summary>
    /// Stops taking new work (new requests get 503 + Retry-After, so the previous hop fails over; OPTIONS probes get
    /// 503 too) and waits until no transaction and no established call is left, or <paramref name="limit"/> passes.
    /// </summary>
    /// <returns>True when everything ended within the limit.</returns>
    public async Task<bool> DrainAsync(TimeSpan limit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        _drain.TurnOn();
        _logger.LogInformation("SIP draining: {Calls} calls under way, waiting up to {Limit}", ActiveDialogs, limit);
        long deadline = time.GetTimestamp() + (long)(limit.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            // Idle workers report only when they process something: give each an empty item to count on.
            foreach (ProxyWorker worker in _workers) worker.TryPost(WorkItem.Tick());
            await Task.Delay(DrainPollInterval, time, CancellationToken.None);
            int unfinished = _workers.Sum(w => Math.Max(0, w.UnfinishedTransactions));
            bool counted = _workers.All(w => w.UnfinishedTransactions >= 0);
            if (counted && unfinished == 0 && ActiveDialogs == 0) break;
            if (time.GetTimestamp() >= deadline || cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("SIP drain ended with {Calls} calls and {Transactions} transactions still under way", ActiveDialogs, unfinished);
                return false;
            }
        }
        _logger.LogInformation("SIP drained: no call or transaction left");
        return true;
    }

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(100);

    private void Dispatch(SipMessage message, IPEndPoint source)
    {
        if (_flood is not null && message.IsRequest && !_flood.Admit(source.Address))
        {
            message.Release();
            return;
        }
        ulong hash = Fnv1a.Hash(message.CallId);
        ProxyWorker worker = _workers[(int)(hash % (ulong)_workers.Length)];
        if (!worker.TryPost(WorkItem.Received(message, source)))
        {
            // Overload: shed here, before any work is spent; the sender's retransmission will retry.
            SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "overload"));
            message.Release();
        }
    }

    /// <summary>A stream could not be set up: every worker fails its branches waiting for it (they may be on any).</summary>
    private void FlowFailed(IPEndPoint peer, SipProtocol protocol)
    {
        foreach (ProxyWorker worker in _workers) worker.TryPost(WorkItem.FlowFailed(peer, protocol));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        foreach (ProxyWorker worker in _workers) worker.Complete();
        foreach (Thread thread in _running) await Task.Run(thread.Join);
        _logger.LogInformation("SIP proxy core stopped");
    }
}
