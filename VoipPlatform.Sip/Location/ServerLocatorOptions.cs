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

    /// <summary>
    /// The shortest time an answer is kept, whatever its TTL: Consul answers with TTL 0 unless configured otherwise,
    /// and a DNS query per call would put DNS latency on every call setup.
    /// </summary>
    public TimeSpan MinimumCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an INVITE to one of several servers located for a Request-URI, Contact or Route host may stay silent
    /// (not even 100 Trying) before the next server is tried (RFC 3263 section 4.3).
    /// </summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer without any server is kept before asking again.</summary>
    public TimeSpan NegativeCacheTime { get; set; } = TimeSpan.FromSeconds(5);
}
