namespace VoipPlatform.Sip.Transactions;

/// <summary>Transaction states of RFC 3261 section 17 with the Accepted state of RFC 6026.</summary>
internal enum TransactionState : byte
{
    /// <summary>Client INVITE Calling / non-INVITE Trying; server non-INVITE Trying.</summary>
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}
