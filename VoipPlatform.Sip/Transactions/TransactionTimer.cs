namespace VoipPlatform.Sip.Transactions;

/// <summary>The RFC 3261 / RFC 6026 transaction timers, by the role they play.</summary>
internal enum TransactionTimer : byte
{
    /// <summary>Client A/E, server G: resend the last message.</summary>
    Retransmit,
    /// <summary>Client B/F, server H: give up waiting.</summary>
    Timeout,
    /// <summary>Client D/K, server I/J/L: linger to absorb retransmissions, then terminate.</summary>
    Linger,
    /// <summary>Proxy timer C: no final response long after a provisional one.</summary>
    ProvisionalTimeout,
    /// <summary>Proxy, per fork step: the step rang long enough; cancel its branches and fail over.</summary>
    StepTimeout,
}
