using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Sip.Proxying;

/// <summary>Behaviour of the transaction-stateful proxy core. Bound from the <c>Sip:Proxy</c> configuration section.</summary>
public sealed class SipProxyOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:Proxy";

    /// <summary>Insert Record-Route into dialog-creating requests so in-dialog requests come back through this hop.</summary>
    public bool RecordRoute { get; set; } = true;

    /// <summary>Worker shards; messages of one Call-ID always go to the same one. 0 means one per core.</summary>
    public int Workers { get; set; }

    /// <summary>Messages queued per worker before new ones are shed.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Transactions held per worker before new requests get 503.</summary>
    public int MaxTransactionsPerWorker { get; set; } = 250_000;

    /// <summary>Transaction timers.</summary>
    public TransactionTimerOptions Timers { get; set; } = new();
}
