namespace VoipPlatform.MediaAgent.Drain;

/// <summary>How a stopping agent waits for the media sessions RTPEngine still relays (configuration section <c>MediaAgent:Drain</c>).</summary>
public sealed class DrainOptions
{
    /// <summary>
    /// Longest wait for active sessions to end before RTPEngine is stopped anyway. The host's shutdown timeout is made
    /// longer than this (plus <see cref="RtpEngine.RtpEngineOptions.StopTimeout"/>); a Kubernetes
    /// <c>terminationGracePeriodSeconds</c> must be too.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between two session counts while draining.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
