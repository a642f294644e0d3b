namespace VoipPlatform.Sip.Location;

/// <summary>How next hops are chosen and watched. Bound from the <c>Sip:NextHops</c> configuration section.</summary>
public sealed class NextHopOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:NextHops";

    /// <summary>How long a server that failed (transport error, silence, 503) gets no new requests.</summary>
    public TimeSpan FailedTargetHoldDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Active health checks of next hops with SIP OPTIONS.</summary>
    public NextHopProbeOptions Probe { get; set; } = new();
}

/// <summary>
/// OPTIONS pings to every server of every next-hop set (as Kamailio's dispatcher probing does), so a server that
/// stopped answering is skipped before a call meets it.
/// </summary>
public sealed class NextHopProbeOptions
{
    /// <summary>Off by default: hold-down after a failed call already steers around dead servers.</summary>
    public bool Enabled { get; set; }

    /// <summary>Time between two rounds of probes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe waits for an answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive unanswered (or 5xx/6xx-answered) probes before a server is taken out.</summary>
    public int FailuresBeforeDown { get; set; } = 2;
}
