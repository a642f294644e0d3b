namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>How the agent launches and supervises RTPEngine (configuration section <c>MediaAgent:RtpEngine</c>).</summary>
public sealed class RtpEngineOptions
{
    /// <summary>The RTPEngine daemon: a path, or a name looked up on PATH (Debian package <c>rtpengine-daemon</c>).</summary>
    public string Executable { get; set; } = "rtpengine";

    /// <summary>The interface facing phones and carriers (RTPEngine's logical interface <c>external</c>).</summary>
    public RtpEngineInterfaceOptions ExternalInterface { get; set; } = new();

    /// <summary>The interface facing the platform's own media servers (RTPEngine's logical interface <c>internal</c>).</summary>
    public RtpEngineInterfaceOptions InternalInterface { get; set; } = new();

    /// <summary>Lowest RTP port when there is no kernel table (userspace forwarding); with a table the range is derived from its id.</summary>
    public int UserspacePortMin { get; set; } = 30000;

    /// <summary>Highest RTP port when there is no kernel table.</summary>
    public int UserspacePortMax { get; set; } = 30999;

    /// <summary>Further RTPEngine arguments, appended as given, e.g. <c>--delete-delay=0</c> or <c>--max-sessions=5000</c>.</summary>
    public string[] ExtraArguments { get; set; } = [];

    /// <summary>Wait before the first restart after RTPEngine died; doubled after each further death.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait between restarts. A process that stayed up at least this long counts as healthy again, and its
    /// next restart waits <see cref="RestartDelay"/> only.
    /// </summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long RTPEngine may take to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
