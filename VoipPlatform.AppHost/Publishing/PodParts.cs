using System.Globalization;
using System.Net.Sockets;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>Pieces every layer's pods share: ports, the ConfigMap of settings, health probes, the preStop wait.</summary>
internal static class PodParts
{
    /// <summary>The services' readiness (all health checks, Unhealthy while draining) and liveness endpoints.</summary>
    public const string ReadinessPath = "/health";
    public const string LivenessPath = "/alive";

    /// <summary>Pod fields the platform's settings come from.</summary>
    public const string PodIpField = "status.podIP";

    /// <summary>Suffix of the TCP twin of a UDP port (SIP listens on both on the same number).</summary>
    private const string TcpSuffix = "-tcp";

    /// <summary>Container ports for a workload's ports: SIP on UDP and TCP, others as the model declares them.</summary>
    public static List<V1ContainerPort> ContainerPorts(Workload workload, IReadOnlyDictionary<string, int> ports) =>
        PortList(workload, ports).Select(p => new V1ContainerPort { ContainerPort = p.Port, Name = p.Name, Protocol = p.Protocol }).ToList();

    /// <summary>Service ports for the same list, by name, so a port's number lives only in the values.</summary>
    private static List<V1ServicePort> ServicePorts(Workload workload, IReadOnlyDictionary<string, int> ports) =>
        PortList(workload, ports).Select(p => new V1ServicePort { Port = p.Port, Name = p.Name, Protocol = p.Protocol, TargetPort = p.Name }).ToList();

    private static IEnumerable<(string Name, int Port, string Protocol)> PortList(Workload workload, IReadOnlyDictionary<string, int> ports)
    {
        foreach (var (key, port) in ports)
        {
            var modelPort = workload.Ports.FirstOrDefault(p => p.ValuesKey == key);
            string name = PortName(key);
            bool udp = modelPort?.Protocol == ProtocolType.Udp;
            yield return (name, port, udp ? "UDP" : "TCP");
            if (udp && (key == PlatformEndpoints.Sip || key == PlatformEndpoints.Dns)
                && !workload.Ports.Any(p => p.Protocol != ProtocolType.Udp && p.DefaultPort == modelPort!.DefaultPort))
            {
                // SIP (RFC 3261 section 18) and DNS answer on TCP too, on the same port (unless the model declares it).
                yield return (name + TcpSuffix, port, "TCP");
            }
        }
    }

    /// <summary>A Kubernetes port name (IANA_SVC_NAME: lowercase, at most 15 characters): <c>sipTls</c> → <c>sip-tls</c>.</summary>
    public static string PortName(string valuesKey) =>
        string.Concat(valuesKey.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    public static V1ConfigMap ConfigMap(Workload workload, IDictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = KubernetesNaming.Metadata(KubernetesNaming.ConfigName(workload.Name), workload.Name, workload.Layer),
        Data = data,
    };

    public static List<V1EnvFromSource> FromConfigMap(Workload workload) =>
        [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = KubernetesNaming.ConfigName(workload.Name) } }];

    /// <summary>Readiness on <c>/health</c> (fails while draining, so the pod leaves Services and SRV answers) and liveness on <c>/alive</c>.</summary>
    public static (V1Probe Readiness, V1Probe Liveness) HttpProbes(string portName) => (
        new V1Probe { HttpGet = new V1HTTPGetAction { Port = portName, Path = ReadinessPath }, PeriodSeconds = 5, FailureThreshold = 2 },
        new V1Probe { HttpGet = new V1HTTPGetAction { Port = portName, Path = LivenessPath }, InitialDelaySeconds = 10, PeriodSeconds = 10, FailureThreshold = 3 });

    /// <summary>
    /// The preStop hook: wait, then SIGTERM starts the service's own drain (Consul maintenance, new calls refused,
    /// waits for its calls). The wait lets the endpoint removal reach DNS and kube-proxy first.
    /// </summary>
    public static V1Lifecycle PreStopWait(int seconds) =>
        new() { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = seconds } } };

    /// <summary>Node selector and toleration for a node pool (nodes labelled and tainted <c>label=value</c>).</summary>
    public static (Dictionary<string, string> Selector, List<V1Toleration> Tolerations) NodePool(NodePoolValues pool) => (
        new Dictionary<string, string> { [pool.Label] = pool.Value },
        [new V1Toleration { Effect = "NoSchedule", Key = pool.Label, OperatorProperty = "Equal", Value = pool.Value }]);

    public static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar EnvFromField(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };

    public static V1VolumeMount Mount(string path, string volume, bool readOnly = false) =>
        new() { MountPath = path, Name = volume, ReadOnlyProperty = readOnly ? true : null };

    public static V1LabelSelector SelectorOf(string workload) => new() { MatchLabels = KubernetesNaming.Selector(workload) };

    public static V1ObjectMeta PodMetadata(Workload workload) => new() { Labels = KubernetesNaming.Labels(workload.Name, workload.Layer) };

    /// <summary>
    /// A DaemonSet of the pod: one per node of its pool, updated one node at a time, so the other nodes keep serving
    /// (and announcing the VIP).
    /// </summary>
    public static V1DaemonSet DaemonSet(Workload workload, V1PodTemplateSpec template) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "DaemonSet"), workload.Name, workload.Layer),
        Spec = new V1DaemonSetSpec
        {
            Selector = SelectorOf(workload.Name),
            UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1 } },
            Template = template,
        },
    };

    /// <summary>A port or count as the environment and arguments take it.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A workload's Service (<c>&lt;workload&gt;-service</c> unless named). Headless ones answer DNS with every ready pod,
    /// including SRV per named port, which is how the SIP hops find their next hops.
    /// </summary>
    public static V1Service Service(Workload workload, IReadOnlyDictionary<string, int> ports, bool headless, string? name = null,
        bool publishNotReadyAddresses = false) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = KubernetesNaming.Metadata(name ?? KubernetesNaming.ServiceName(workload.Name), workload.Name, workload.Layer),
        Spec = new V1ServiceSpec
        {
            ClusterIP = headless ? "None" : null,
            PublishNotReadyAddresses = publishNotReadyAddresses ? true : null,
            Selector = KubernetesNaming.Selector(workload.Name),
            Ports = ServicePorts(workload, ports),
        },
    };

    /// <summary>The volume (and claim) name of a StatefulSet's data.</summary>
    public const string DataVolume = "data";

    /// <summary>A StatefulSet of one container with a <see cref="DataVolume"/> claim of <paramref name="storage"/> per pod.</summary>
    public static V1StatefulSet StatefulSet(Workload workload, string serviceName, int replicas, V1Container container, string storage,
        string? podManagementPolicy = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "StatefulSet"), workload.Name, workload.Layer),
        Spec = new V1StatefulSetSpec
        {
            ServiceName = serviceName,
            Replicas = replicas,
            PodManagementPolicy = podManagementPolicy,
            Selector = SelectorOf(workload.Name),
            Template = new V1PodTemplateSpec { Metadata = PodMetadata(workload), Spec = new V1PodSpec { Containers = [container] } },
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = DataVolume },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(storage) } },
                    },
                },
            ],
        },
    };

    /// <summary>
    /// The claim of a named volume of the model (<c>&lt;volume&gt;-pvc</c>), ReadWriteMany: every replica of every workload
    /// that mounts it shares it (e.g. voicemail any Asterisk instance records and any plays back).
    /// </summary>
    public static V1PersistentVolumeClaim VolumeClaim(Workload workload, string source, ChartValues values) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = KubernetesNaming.Metadata(VolumeClaimName(source), workload.Name, workload.Layer),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteMany"],
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(values.Volumes[ValuePlaceholders.ValuesKey(source)].Storage) },
            },
        },
    };

    public static string VolumeClaimName(string source) => $"{source}-pvc";

    /// <summary>The pod volumes and container mounts for the model's named volumes of a workload.</summary>
    public static (List<V1Volume>? Volumes, List<V1VolumeMount>? Mounts) ModelVolumes(Workload workload)
    {
        if (workload.Volumes.Count == 0)
        {
            return (null, null);
        }
        var volumes = workload.Volumes.Select(m => new V1Volume
        {
            Name = m.Source!,
            PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = VolumeClaimName(m.Source!) },
        }).ToList();
        var mounts = workload.Volumes.Select(m => Mount(m.Target, m.Source!, m.IsReadOnly)).ToList();
        return (volumes, mounts);
    }
}
