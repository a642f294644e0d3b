namespace VoipPlatform.Sip.Transactions;

/// <summary>The RFC 3261 timer base values (section 17.1.1.1 and table 4). Bound from <c>Sip:Timers</c>.</summary>
public sealed class TransactionTimerOptions
{
    /// <summary>RTT estimate; retransmissions start here and timeouts are 64 × T1.</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retransmission interval for non-INVITE requests and INVITE responses.</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Longest time a message stays in the network.</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Proxy INVITE timer C: how long to wait for a final response after a provisional (over 3 minutes).</summary>
    public TimeSpan TimerC { get; set; } = TimeSpan.FromSeconds(181);

    /// <summary>Timer D (wait for final response retransmissions after ACK) for UDP: at least 32 s.</summary>
    public TimeSpan TimerD { get; set; } = TimeSpan.FromSeconds(32);

    internal TimeSpan Timeout64T1 => T1 * 64;
}
