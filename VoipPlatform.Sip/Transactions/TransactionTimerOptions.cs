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

    /// <summary>
    /// Timer J: how long a completed non-INVITE server transaction stays to absorb retransmissions of its request.
    /// Unset, 64 × T1 (32 s) as RFC 3261 section 17.2.2 asks for UDP. Shorter keeps far fewer transactions under a
    /// high REGISTER rate (Kamailio's tm keeps them 5 s, wt_timer); a retransmission that arrives later than J is
    /// handled as a new request.
    /// </summary>
    public TimeSpan? TimerJ { get; set; }

    internal TimeSpan Timeout64T1 => T1 * 64;

    internal TimeSpan NonInviteLinger => TimerJ ?? Timeout64T1;
}
