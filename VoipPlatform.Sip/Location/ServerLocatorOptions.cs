namespace VoipPlatform.Sip.Location;

/// <summary>Where and how SIP next hops are looked up in DNS. Bound from the <c>Sip:Dns</c> configuration section.</summary>
public sealed class ServerLocatorOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:Dns";

    /// <summary>DNS server, <c>host:port</c> (Consul's DNS is 127.0.0.1:8600; Kubernetes' cluster DNS on port 53).</summary>
    public string Server { get; set; } = "127.0.0.1:53";

    /// <summary>How long one DNS query may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer without any server is kept before asking again.</summary>
    public TimeSpan NegativeCacheTime { get; set; } = TimeSpan.FromSeconds(5);
}
