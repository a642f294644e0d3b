using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>Behaviour of the transaction-stateful proxy core. Bound from the <c>Sip:Proxy</c> configuration section.</summary>
public sealed class SipProxyOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:Proxy";

    /// <summary>Insert Record-Route into dialog-creating requests so in-dialog requests come back through this hop.</summary>
    public bool RecordRoute { get; set; } = true;

    /// <summary>
    /// Insert Path (RFC 3327) into REGISTERs this hop relays, so the registrar routes calls for the user back through
    /// this hop, which holds the NAT binding. Set on the edge proxy. Added whether or not the UA listed <c>path</c>
    /// in Supported (like Kamailio's <c>add_path</c>): the registrar, not the UA, uses it.
    /// </summary>
    public bool AddPath { get; set; }

    /// <summary>
    /// Base64 key of the HMAC that signs flow tokens (RFC 5626: the Record-Route and Path entries that name a
    /// WebSocket client's connection). Empty: a random key per process, which is enough because a flow lives in one
    /// process; set one to keep tokens verifiable across restarts of a process whose connections survive (none today).
    /// </summary>
    public string? FlowTokenKey { get; set; }

    /// <summary>Worker shards; messages of one Call-ID always go to the same one. 0 means one per core.</summary>
    public int Workers { get; set; }

    /// <summary>Messages queued per worker before new ones are shed.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// Fill level of a worker's queue (0..1) from which new INVITEs are answered 503 with Retry-After instead of
    /// being forwarded, while retransmissions and in-dialog requests are still served: shed new work early, so a
    /// flood never turns into a retransmission storm.
    /// </summary>
    public double OverloadThreshold { get; set; } = 0.5;

    /// <summary>Seconds a caller is told to wait (Retry-After) when refused for overload.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Server transactions held per worker, completed non-INVITE ones included, before new requests get 503.</summary>
    public int MaxTransactionsPerWorker { get; set; } = 250_000;

    /// <summary>
    /// How long an established call may go without any in-dialog request before it is no longer counted as active
    /// (a UA that vanished without BYE). Active calls hold a draining hop open.
    /// </summary>
    public TimeSpan DialogTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The longest a hop that was told to stop (SIGTERM) keeps serving its calls and transactions while it takes no
    /// new ones; it stops earlier once none is left. Set the host's shutdown timeout (and Kubernetes'
    /// terminationGracePeriodSeconds) above it.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Transaction timers.</summary>
    public TransactionTimerOptions Timers { get; set; } = new();
}
