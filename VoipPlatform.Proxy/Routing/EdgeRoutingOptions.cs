namespace VoipPlatform.Proxy.Routing;

/// <summary>Where the edge proxy sends new calls. Bound from the <c>Proxy</c> configuration section.</summary>
public sealed class EdgeRoutingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Proxy";

    /// <summary>
    /// Routers (<c>host:port</c> or <c>udp://host:port</c>). When empty, the endpoints Aspire injects for the
    /// <c>sip</c> endpoint of every resource named <c>router*</c> (<c>services:router:sip:N</c>, <c>services:router2:sip:N</c>) are used.
    /// </summary>
    public string[] Routers { get; set; } = [];

    /// <summary>
    /// A DNS SRV name to find the routers under (e.g. <c>_router._udp.service.consul</c>), looked up on the DNS
    /// server of <c>Sip:Dns:Server</c> and cached per TTL. When set, it takes the place of <see cref="Routers"/>.
    /// </summary>
    public string? RouterService { get; set; }

    /// <summary>
    /// How long a router may leave a new INVITE without any answer (routers send 100 Trying at once) before the
    /// proxy tries the next router. Other requests move on after Timer F (32 s) or a 503.
    /// </summary>
    public TimeSpan RouterAnswerTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
