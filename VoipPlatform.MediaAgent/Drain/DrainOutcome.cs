namespace VoipPlatform.MediaAgent.Drain;

/// <summary>How a drain ended.</summary>
public enum DrainOutcome
{
    /// <summary>No session was left.</summary>
    Drained,

    /// <summary>The grace period ended with sessions still active; they are cut when RTPEngine stops.</summary>
    GracePeriodEnded,

    /// <summary>RTPEngine was not running (dead, restarting or never started), so there was nothing to wait for.</summary>
    EngineUnreachable,

    /// <summary>The host's shutdown timeout ran out first.</summary>
    Cancelled,
}
