using System.ComponentModel.DataAnnotations;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Configuration section <c>MediaAgent</c> (the AppHost sets <c>MediaAgent__NgEndpoint</c>).</summary>
public sealed class MediaAgentOptions
{
    public const string SectionName = "MediaAgent";

    /// <summary>RTPEngine's ng control address, <c>host:port</c> (UDP).</summary>
    [Required]
    public string NgEndpoint { get; set; } = "127.0.0.1:2223";

    /// <summary>Time between two pings.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the <c>pong</c> before a ping counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
