namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Where the supervised RTPEngine process is in its life.</summary>
public enum RtpEngineProcessState
{
    /// <summary>Not launched yet.</summary>
    NotStarted,

    /// <summary>The process runs (it may not answer ng yet).</summary>
    Running,

    /// <summary>It died; the supervisor waits out the back-off before starting it again.</summary>
    Restarting,

    /// <summary>The executable could not be started (not installed); retried with back-off like a crash.</summary>
    ExecutableMissing,

    /// <summary>Stopped on purpose: the agent is shutting down.</summary>
    Stopped,
}
