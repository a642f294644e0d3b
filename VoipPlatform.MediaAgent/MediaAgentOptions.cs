using VoipPlatform.MediaAgent.Drain;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.MediaAgent;

/// <summary>
/// Configuration section <c>MediaAgent</c>: where RTPEngine takes ng commands, how it is launched and supervised, how
/// its kernel forwarding table is claimed, and how long a stop drains. Checked at start by
/// <see cref="Hosting.MediaAgentOptionsValidator"/>.
/// </summary>
public sealed class MediaAgentOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MediaAgent";

    /// <summary>
    /// RTPEngine's ng control address, <c>IP:port</c> (UDP): RTPEngine is told to listen there and the agent pings it
    /// there. The AppHost sets it (<c>MediaAgent__NgEndpoint</c>).
    /// </summary>
    public string NgEndpoint { get; set; } = "127.0.0.1:2223";

    /// <summary>Time between two ng pings.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long any ng request (ping, statistics) waits for its reply before it counts as failed.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time between two ng <c>statistics</c> polls, which feed the metrics.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How RTPEngine is launched and restarted (section <c>MediaAgent:RtpEngine</c>).</summary>
    public RtpEngineOptions RtpEngine { get; set; } = new();

    /// <summary>How the kernel forwarding table is claimed (section <c>MediaAgent:Kernel</c>).</summary>
    public KernelForwardingOptions Kernel { get; set; } = new();

    /// <summary>How a stop waits for active sessions (section <c>MediaAgent:Drain</c>).</summary>
    public DrainOptions Drain { get; set; } = new();
}
