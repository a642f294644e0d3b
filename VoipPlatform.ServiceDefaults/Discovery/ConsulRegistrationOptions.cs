namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>
/// Where the local Consul agent is and how this service instance registers with it (configuration section
/// <c>Consul</c>). Defaults that depend on the environment (agent address, service name, ID and port) are filled in
/// after binding; with no agent address at all, registration is off.
/// </summary>
public sealed class ConsulRegistrationOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Consul";

    /// <summary>
    /// The agent's HTTP API, e.g. <c>http://127.0.0.1:8500</c>. When not set, the endpoint Aspire injects for a
    /// resource named <c>consul</c> (<c>services:consul:http:0</c>); when neither exists, registration is off.
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>Wait after the first failed registration attempt; doubled after each further failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between registration attempts while the agent does not answer.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The service instance this process registers.</summary>
    public ConsulServiceOptions Service { get; set; } = new();

    /// <summary>True when an agent address was configured or injected.</summary>
    public bool IsEnabled => Address is not null;
}

/// <summary>The service instance as Consul will list it (configuration section <c>Consul:Service</c>).</summary>
public sealed class ConsulServiceOptions
{
    /// <summary>Logical name shared by all replicas (DNS: <c>&lt;name&gt;.service.consul</c>). Default: the application name, lowercased, as a DNS label.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Unique per agent. Default: <c>&lt;name&gt;-&lt;machine name&gt;-&lt;port&gt;</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Address DNS answers carry for this instance.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port DNS SRV answers carry. Default: <c>Sip:Port</c> when set; 0 leaves the port out.</summary>
    public int Port { get; set; }

    /// <summary>Tags to filter on, e.g. the transports a SIP service listens on (<c>udp</c>, <c>tcp</c>).</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Free-form key/value metadata, e.g. the RTPEngine ng address a media agent supervises.</summary>
    public Dictionary<string, string> Meta { get; set; } = [];

    /// <summary>SRV weights Consul gives this instance while its check is passing or warning.</summary>
    public ConsulWeightsOptions Weights { get; set; } = new();

    /// <summary>
    /// The TTL check expires (turns critical, and the instance leaves DNS answers) when not refreshed within this
    /// time; it is refreshed every third of it.
    /// </summary>
    public TimeSpan CheckTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Consul removes the instance after its check has been critical this long, e.g. after the process was killed
    /// without deregistering. Consul's minimum is one minute.
    /// </summary>
    public TimeSpan DeregisterCriticalServiceAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Shown in Consul while the instance drains at shutdown.</summary>
    public string MaintenanceReason { get; set; } = "Shutting down: draining in-flight calls";
}

/// <summary>Consul's SRV weights for an instance by check status (critical instances are not answered at all).</summary>
public sealed class ConsulWeightsOptions
{
    /// <summary>Weight while the check passes; Consul requires at least 1.</summary>
    public int Passing { get; set; } = 1;

    /// <summary>Weight while the check warns (the application reports Degraded); 0 or more.</summary>
    public int Warning { get; set; } = 1;
}
