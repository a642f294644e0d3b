namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Outcome of the latest ng ping, shared by the pinger and the health check.</summary>
public sealed class RtpEngineHealth(TimeProvider timeProvider)
{
    private volatile Snapshot _last = new(Ok: false, Detail: "no ping yet", At: timeProvider.GetUtcNow());

    /// <summary>Records a ping's outcome: null for a <c>pong</c>, else why it failed.</summary>
    public void Record(string? error) =>
        _last = new(Ok: error is null, Detail: error ?? "pong", At: timeProvider.GetUtcNow());

    /// <summary>The latest outcome.</summary>
    public Snapshot Last => _last;

    /// <summary>One ping outcome.</summary>
    /// <param name="Ok">True when RTPEngine answered <c>pong</c>.</param>
    /// <param name="Detail"><c>pong</c>, or why the ping failed.</param>
    /// <param name="At">When the outcome was recorded.</param>
    public sealed record Snapshot(bool Ok, string Detail, DateTimeOffset At);
}
