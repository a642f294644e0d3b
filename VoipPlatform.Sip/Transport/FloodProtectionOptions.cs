namespace VoipPlatform.Sip.Transport;

/// <summary>Per-source request rate limit (Kamailio's pike). Bound from the <c>Sip:Flood</c> configuration section.</summary>
public sealed class FloodProtectionOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:Flood";

    /// <summary>Requests per second one source address may send; 0 turns the limit off.</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>Seconds of burst a source may spend at once (bucket size = rate × burst).</summary>
    public double BurstSeconds { get; set; } = 1;

    /// <summary>Networks (CIDR) never limited: our own routers and proxies, load generators on loopback.</summary>
    public string[] TrustedNetworks { get; set; } = [];

    /// <summary>Sources tracked at most; beyond it the least recently seen are forgotten.</summary>
    public int MaxTrackedSources { get; set; } = 100_000;
}
