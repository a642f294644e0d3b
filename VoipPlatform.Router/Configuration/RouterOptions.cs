namespace VoipPlatform.Router.Configuration;

/// <summary>The routing layer's settings. Bound from the <c>Router</c> configuration section.</summary>
public sealed class RouterOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Router";

    /// <summary>
    /// Networks (CIDR) whose requests need no digest authentication: carriers, PBXs. Matched against the address the
    /// request entered the platform from (the edge proxy's <c>received</c>), not the proxy's own address. Empty by
    /// default: everyone authenticates.
    /// </summary>
    public string[] TrustedSources { get; set; } = [];

    /// <summary>
    /// Application servers (Asterisk) as <c>host:port</c>, used when <see cref="ApplicationService"/> is not set. When
    /// empty too, the endpoints Aspire injects for the <c>asterisk</c> resource's <c>sip</c> endpoint are used; with
    /// none, an application step finds nobody and the caller gets 503 with Retry-After.
    /// </summary>
    public string[] ApplicationServers { get; set; } = [];

    /// <summary>
    /// A DNS SRV name to find the application servers under (e.g. <c>_asterisk._udp.service.consul</c>), looked up
    /// on <c>Sip:Dns:Server</c> and cached per TTL. When set, it takes the place of <see cref="ApplicationServers"/>.
    /// </summary>
    public string? ApplicationService { get; set; }

    /// <summary>Registrations shorter than this are refused with 423 (RFC 3261 section 10.3 step 7).</summary>
    public int MinExpiresSeconds { get; set; } = 60;

    /// <summary>Registrations longer than this are shortened to it.</summary>
    public int MaxExpiresSeconds { get; set; } = 3600;

    /// <summary>Registration lifetime when the UA asks for none.</summary>
    public int DefaultExpiresSeconds { get; set; } = 3600;

    /// <summary>
    /// Every answer of the registrar is given as a stateless UAS, the 200s too, as Kamailio's registrar does: no
    /// transaction is kept after a REGISTER, and a retransmitted one is handled again (applied again, or challenged
    /// anew once its credentials were used). RFC 3261 section 8.2.7 rules stateless registrars out, so this is off by
    /// default: a REGISTER's 200 is kept for timer J (32 s) to absorb retransmissions, while challenges are always
    /// stateless. Off, each 200 is kept only as its key and response (the SIP core's completed-transaction table); on,
    /// nothing at all. The gap between the two was measured before that table existed (docs/benchmarks.md), not since.
    /// </summary>
    public bool RegistrarAnswersStateless { get; set; }

    /// <summary>Contacts kept per user; a REGISTER adding more is refused with 403.</summary>
    public int MaxContactsPerUser { get; set; } = 10;

    /// <summary>Seconds a caller is told to wait (Retry-After) when the business-logic API or every application server is unavailable.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>How long one call to the business-logic API may take before the call gets 503.</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the API circuit stays open (every call answered 503 at once) after repeated failures.</summary>
    public TimeSpan ApiBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the answers of the credentials and domain endpoints are reused at most; 0 asks the API every time.
    /// They are dropped at once when the API publishes a directory change (Caching/DirectoryCache.cs), so this is
    /// only the last bound for a change notice that never arrived while the subscription looked alive.
    /// </summary>
    public TimeSpan DirectoryCacheTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a routing plan is reused at most for a new call with the same facts (caller, callee, Request-URI,
    /// source, authentication, headers of interest); 0 asks the API for every call. Plans are dropped at once when
    /// the API publishes a directory change, so this is only the last bound (docs/architecture.md, "Decision cache").
    /// </summary>
    public TimeSpan DecisionCacheTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most answers each of the router's caches (plans, credentials, served domains) holds; one that fills up is
    /// emptied and starts over, so memory stays bounded whatever the callers send.
    /// </summary>
    public int DecisionCacheEntries { get; set; } = 100_000;
}
