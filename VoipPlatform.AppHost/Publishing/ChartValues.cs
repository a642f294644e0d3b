namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// The chart's <c>values.yaml</c>, typed. Every leaf that is not a <see cref="ChartSwitchAttribute"/> is a value a
/// template reads with <c>{{ .Values.path }}</c> (path = the camelCase property path, dictionary keys as written); the
/// plain manifests hold the defaults built here. Lists are deliberately absent: the templates use no <c>range</c>.
/// </summary>
internal sealed class ChartValues
{
    public GlobalValues Global { get; set; } = new();
    public NetworkValues Network { get; set; } = new();
    public NodePoolsValues NodePools { get; set; } = new();
    /// <summary>The app model's plain (not secret) parameters, by name: their values at publish time.</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];

    public SecretsValues Secrets { get; set; } = new();
    public ProxyValues Proxy { get; set; } = new();
    public MediaValues Media { get; set; } = new();

    /// <summary>Router, logic API, Asterisk: one entry per stateless workload of the app model, by resource name.</summary>
    public Dictionary<string, StatelessValues> Stateless { get; set; } = [];

    /// <summary>The app model's named volumes, by name: one claim each, shared by every replica that mounts it.</summary>
    public Dictionary<string, VolumeValues> Volumes { get; set; } = [];

    public AutoscalingValues Autoscaling { get; set; } = new();
    public ConsulValues Consul { get; set; } = new();
    public RedisValues Redis { get; set; } = new();
}

/// <summary>
/// A Kubernetes quantity (<c>500m</c>, <c>8Gi</c>), written in its canonical form: the typed client writes a quantity
/// canonicalized (<c>5000</c> becomes <c>5k</c>), so a default in another form would render differently from the
/// plain manifests.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ChartQuantityAttribute : Attribute;

/// <summary>
/// A value that changes the shape of objects (a field present or not, another kind of object), not just a scalar in
/// them. The chart writes one template branch per setting (<c>if eq .Values.path "x"</c>); never a placeholder.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ChartSwitchAttribute(params string[] settings) : Attribute
{
    /// <summary>Every setting the switch may take (for a bool: "true", "false").</summary>
    public IReadOnlyList<string> Settings { get; } = settings;
}

internal sealed class GlobalValues
{
    /// <summary>Namespace the platform is installed into; DNS SRV names of the headless Services contain it.</summary>
    public string Namespace { get; set; } = "voip";

    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// The DNS server (IP:port) the SIP layers ask for SRV records: the cluster DNS Service's IP (kubeadm default
    /// 10.96.0.10). Must be an address: the SIP core's resolver takes no name here.
    /// </summary>
    public string DnsServer { get; set; } = "10.96.0.10:53";

    /// <summary>Where SIP may be sent (<c>Sip:EgressAllowList:0</c>, a CIDR). Narrow it to the networks you serve.</summary>
    public string SipEgressAllowList { get; set; } = "0.0.0.0/0";

    public string ImagePullPolicy { get; set; } = "IfNotPresent";
}

internal sealed class NetworkValues
{
    public const string HostMode = "host";
    public const string MultusMode = "multus";

    /// <summary><c>host</c>: proxy and media on the node's network (solution 1). <c>multus</c>: a second interface (solution 2).</summary>
    [ChartSwitch(HostMode, MultusMode)]
    public string Mode { get; set; } = HostMode;

    public MultusValues Multus { get; set; } = new();
}

internal sealed class MultusValues
{
    /// <summary>Name of the NetworkAttachmentDefinition the proxy and media pods attach to.</summary>
    public string Name { get; set; } = "voip-external";

    /// <summary>CNI plugin: <c>macvlan</c> or <c>ipvlan</c>.</summary>
    public string Type { get; set; } = "macvlan";

    /// <summary>Host interface the second interface hangs off.</summary>
    public string Master { get; set; } = "eth1";

    /// <summary>macvlan: <c>bridge</c>; ipvlan: <c>l2</c>.</summary>
    public string Mode { get; set; } = "bridge";

    /// <summary>Addresses handed out on that network (IPAM plugin <c>whereabouts</c>).</summary>
    public string IpRange { get; set; } = "192.0.2.0/24";
}

internal sealed class NodePoolsValues
{
    public NodePoolValues Edge { get; set; } = new() { Value = "edge" };
    public NodePoolValues Media { get; set; } = new() { Value = "media" };
}

/// <summary>A node pool: nodes labelled <c>Label=Value</c> and tainted <c>Label=Value:NoSchedule</c>.</summary>
internal sealed class NodePoolValues
{
    public string Label { get; set; } = "voipplatform.io/pool";
    public string Value { get; set; } = string.Empty;
}

/// <summary>Secrets are referenced by name; the chart never holds a secret value (docs/kubernetes.md says how to create them).</summary>
internal sealed class SecretsValues
{
    public Dictionary<string, SecretReferenceValues> Parameters { get; set; } = [];

    /// <summary>PKCS#12 server certificate for SIP over TLS at the proxy (key <c>tls.pfx</c>).</summary>
    public string ProxyTls { get; set; } = "voipplatform-proxy-tls";
}

internal sealed class SecretReferenceValues
{
    /// <summary>An existing Secret (created before the install).</summary>
    public string ExistingSecret { get; set; } = string.Empty;

    public string Key { get; set; } = "value";
}

internal sealed class ProxyValues
{
    public string Image { get; set; } = string.Empty;

    /// <summary>Ports by name: <c>sip</c> (UDP and TCP), <c>sipTls</c>, <c>sipWs</c> and <c>sipWss</c> (WebSocket, RFC 7118), <c>http</c> (health).</summary>
    public Dictionary<string, int> Ports { get; set; } = [];

    /// <summary>The anycast VIP (a /32 on <c>lo</c>) every proxy node announces by OSPF while its proxy is ready.</summary>
    public string Vip { get; set; } = "203.0.113.10";

    /// <summary>Seconds a stopping proxy gets: VIP withdrawn first, then its calls' transactions end.</summary>
    public int TerminationGracePeriodSeconds { get; set; } = 60;

    /// <summary>
    /// The proxy's preStop wait: the VIP withdrawal reaches the routers before the proxy starts refusing. BIRD
    /// originates a changed router LSA at most every 5 s (OSPF's MinLSInterval; seen in the tests: a withdrawal right
    /// after an announcement left 2-3 s later), so the wait is longer than that.
    /// </summary>
    public int PreStopDelaySeconds { get; set; } = 8;

    /// <summary><c>Sip:Proxy:DrainTimeout</c>: below the grace period.</summary>
    public string DrainTimeout { get; set; } = "00:00:45";

    public BirdValues Bird { get; set; } = new();
}

internal sealed class BirdValues
{
    public string Image { get; set; } = "voipplatform/bird:2.0";

    /// <summary>OSPF area the VIP is announced into (dotted or number, as BIRD takes it).</summary>
    public string Area { get; set; } = "0.0.0.0";

    /// <summary>Node interface(s) that peer with the routers (a BIRD interface pattern).</summary>
    public string Interface { get; set; } = "eth0";

    public int HelloSeconds { get; set; } = 1;
    public int DeadSeconds { get; set; } = 4;

    /// <summary>BFD on the OSPF neighbours: node-crash failover ~0.6 s instead of the dead interval.</summary>
    [ChartSwitch("true", "false")]
    public bool Bfd { get; set; }

    public int BfdIntervalMilliseconds { get; set; } = 100;
    public int BfdMultiplier { get; set; } = 3;
}

internal sealed class MediaValues
{
    public const string DaemonSetKind = "DaemonSet";
    public const string DeploymentKind = "Deployment";

    /// <summary><c>DaemonSet</c>: one relay per media node. <c>Deployment</c>: replicas spread by anti-affinity.</summary>
    [ChartSwitch(DaemonSetKind, DeploymentKind)]
    public string Kind { get; set; } = DaemonSetKind;

    public string Image { get; set; } = string.Empty;

    /// <summary>With <c>Kind=Deployment</c>.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary><c>xt_RTPENGINE</c> (RTPEngine up to 11.x) or <c>nft_rtpengine</c> (12.x and later).</summary>
    public string KernelModule { get; set; } = "xt_RTPENGINE";

    /// <summary>Image of the init container that loads the module: anything with <c>modprobe</c> (Alpine's busybox has one).</summary>
    public string ModprobeImage { get; set; } = "alpine:3.20";

    public Dictionary<string, int> Ports { get; set; } = [];
    public int RtpPortMin { get; set; } = 30000;
    public int RtpPortMax { get; set; } = 61999;

    /// <summary>Longer than the agent's drain grace (60 s) + RTPEngine stop (10 s).</summary>
    public int TerminationGracePeriodSeconds { get; set; } = 90;

    /// <summary>preStop wait before SIGTERM starts the agent's drain, so the relay leaves SRV answers first.</summary>
    public int PreStopDelaySeconds { get; set; } = 5;
}

internal sealed class StatelessValues
{
    public string Image { get; set; } = string.Empty;
    public int Replicas { get; set; } = 2;
    public Dictionary<string, int> Ports { get; set; } = [];

    /// <summary>
    /// Long enough for calls to end: above the preStop wait plus the workload's own drain (the SIP layers'
    /// <see cref="DrainTimeout"/>, 59 min; the Asterisk image's VP_DRAIN_SECONDS, 3600 s by default).
    /// </summary>
    public int TerminationGracePeriodSeconds { get; set; } = 3700;

    /// <summary>preStop wait before SIGTERM, so the pod leaves DNS SRV answers and Service endpoints first.</summary>
    public int PreStopDelaySeconds { get; set; } = 5;

    /// <summary><c>Sip:Proxy:DrainTimeout</c> of a SIP layer: how long it waits for its calls after SIGTERM.</summary>
    public string DrainTimeout { get; set; } = "00:59:00";

    /// <summary>Probe (<c>sh -c</c>) of a workload without an HTTP health endpoint; empty for the others.</summary>
    public string HealthCommand { get; set; } = string.Empty;

    /// <summary>Requests: the CPU one is what the HPA's utilization target is measured against.</summary>
    [ChartQuantity]
    public string CpuRequest { get; set; } = "500m";

    [ChartQuantity]
    public string MemoryRequest { get; set; } = "256Mi";

    public int MinReplicas { get; set; } = 2;
    public int MaxReplicas { get; set; } = 10;
    public int TargetCpuPercent { get; set; } = 70;

    /// <summary>At most this many pods of the layer down at once for voluntary disruptions.</summary>
    public int MaxUnavailable { get; set; } = 1;
}

internal sealed class VolumeValues
{
    /// <summary>Replicas on several nodes share it, so the cluster's default storage class must offer ReadWriteMany.</summary>
    [ChartQuantity]
    public string Storage { get; set; } = "10Gi";
}

internal sealed class AutoscalingValues
{
    /// <summary>
    /// Also scale the SIP layers on <c>sip_dialogs_active</c> per pod (the SIP core's <c>sip.dialogs.active</c>), which
    /// needs a custom-metrics adapter (e.g. prometheus-adapter) serving it.
    /// </summary>
    [ChartSwitch("true", "false")]
    public bool ActiveCallsMetric { get; set; }

    /// <summary>Target of active calls per pod (a quantity: 5000 is written <c>5k</c>).</summary>
    [ChartQuantity]
    public string ActiveCallsPerPod { get; set; } = "5k";
}

internal sealed class ConsulValues
{
    public string Image { get; set; } = string.Empty;
    public int Replicas { get; set; } = 3;
    public Dictionary<string, int> Ports { get; set; } = [];

    [ChartQuantity]
    public string Storage { get; set; } = "1Gi";
}

internal sealed class RedisValues
{
    public string Image { get; set; } = string.Empty;
    public Dictionary<string, int> Ports { get; set; } = [];

    [ChartQuantity]
    public string Storage { get; set; } = "8Gi";
}
