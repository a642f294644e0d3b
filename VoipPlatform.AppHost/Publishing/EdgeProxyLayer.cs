using k8s;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// The SIP edge: a DaemonSet on the edge node pool, on the host network (or a Multus interface), with a BIRD sidecar
/// that announces the anycast VIP by OSPF only while the proxy is healthy, and withdraws it first when the pod stops.
/// </summary>
internal static class EdgeProxyLayer
{
    private const string BirdContainer = "vip-announcer";
    private const string BirdConfigVolume = "bird-config";
    private const string BirdSocketVolume = "bird-run";
    private const string TlsVolume = "sip-tls";
    private const string TlsDirectory = "/etc/voipplatform/tls";
    private const string TlsFile = "tls.pfx";

    public static string BirdConfigMapName(Workload workload) => $"{workload.Name}-bird-config";

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var proxy = values.Proxy;
        environment
            .Set("Sip__ListenAddress", "0.0.0.0")
            .Set("Sip__Port", PodParts.Number(proxy.Ports[PlatformEndpoints.Sip]))
            .Set("Sip__TlsPort", PodParts.Number(proxy.Ports[ChartValuesFactory.SipTlsPortName]))
            .Set("Sip__TlsCertificatePath", $"{TlsDirectory}/{TlsFile}")
            // Browsers (RFC 7118): WS, and WSS with the same certificate as TLS.
            .Set("Sip__WebSocketPort", PodParts.Number(proxy.Ports[PlatformEndpoints.SipWebSocket]))
            .Set("Sip__SecureWebSocketPort", PodParts.Number(proxy.Ports[ChartValuesFactory.SipSecureWebSocketPortName]))
            // Phones see the VIP in Via and Record-Route, whichever node their packets reach.
            .Set("Sip__AdvertisedAddress", proxy.Vip)
            .Set("Sip__EgressAllowList__0", values.Global.SipEgressAllowList)
            .Set("Sip__Dns__Server", values.Global.DnsServer)
            .Set("Sip__Proxy__DrainTimeout", proxy.DrainTimeout)
            .Set("HTTP_PORTS", PodParts.Number(proxy.Ports[PlatformEndpoints.Http]))
            .SetFromField("Consul__Service__Address", PodParts.PodIpField);

        yield return PodParts.ConfigMap(workload, environment.Config);
        yield return BirdConfigMap(workload, values);
        yield return DaemonSet(workload, environment, values);
        // Lists the edge nodes (monitoring, SRV); phones reach the proxies by the VIP, not by this.
        yield return PodParts.Service(workload, proxy.Ports, headless: true);
    }

    private static V1ConfigMap BirdConfigMap(Workload workload, ChartValues values) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = KubernetesNaming.Metadata(BirdConfigMapName(workload), workload.Name, workload.Layer),
        Data = new Dictionary<string, string>
        {
            [BirdConfig.AnnouncedFile] = BirdConfig.Configuration(values.Proxy.Bird, values.Proxy.Vip, announce: true),
            [BirdConfig.WithdrawnFile] = BirdConfig.Configuration(values.Proxy.Bird, values.Proxy.Vip, announce: false),
            [BirdConfig.ScriptFile] = BirdConfig.AnnouncerScript(),
        },
    };

    private static V1DaemonSet DaemonSet(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var proxy = values.Proxy;
        var (readiness, liveness) = PodParts.HttpProbes(PodParts.PortName(PlatformEndpoints.Http));
        var proxyContainer = new V1Container
        {
            Name = workload.Name,
            Image = proxy.Image,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            Ports = PodParts.ContainerPorts(workload, proxy.Ports),
            EnvFrom = PodParts.FromConfigMap(workload),
            Env = environment.Env,
            ReadinessProbe = readiness,
            LivenessProbe = liveness,
            // The sidecar withdraws the VIP at once; this wait lets the routers' OSPF move traffic before SIGTERM
            // starts the proxy's drain.
            Lifecycle = PodParts.PreStopWait(proxy.PreStopDelaySeconds),
            VolumeMounts = [PodParts.Mount(TlsDirectory, TlsVolume, readOnly: true)],
        };

        var birdContainer = new V1Container
        {
            Name = BirdContainer,
            Image = proxy.Bird.Image,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            Command = ["sh", $"{BirdConfig.Directory}/{BirdConfig.ScriptFile}"],
            Env =
            [
                PodParts.Env("VIP", proxy.Vip),
                PodParts.Env("HEALTH_URL", $"http://127.0.0.1:{PodParts.Number(proxy.Ports[PlatformEndpoints.Http])}{PodParts.ReadinessPath}"),
            ],
            // OSPF speaks raw IP (protocol 89); the VIP goes on lo.
            SecurityContext = new V1SecurityContext { Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW"] } },
            Lifecycle = new V1Lifecycle
            {
                PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", BirdConfig.WithdrawCommand()] } },
            },
            VolumeMounts =
            [
                PodParts.Mount(BirdConfig.Directory, BirdConfigVolume, readOnly: true),
                PodParts.Mount(BirdConfig.SocketDirectory, BirdSocketVolume),
            ],
        };

        var (nodeSelector, tolerations) = PodParts.NodePool(values.NodePools.Edge);
        var podSpec = new V1PodSpec
        {
            Containers = [proxyContainer, birdContainer],
            NodeSelector = nodeSelector,
            Tolerations = tolerations,
            TerminationGracePeriodSeconds = proxy.TerminationGracePeriodSeconds,
            Volumes =
            [
                new V1Volume { Name = TlsVolume, Secret = new V1SecretVolumeSource { SecretName = values.Secrets.ProxyTls } },
                new V1Volume { Name = BirdConfigVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = BirdConfigMapName(workload) } },
                new V1Volume { Name = BirdSocketVolume, EmptyDir = new V1EmptyDirVolumeSource() },
            ],
        };
        var podMetadata = PodParts.PodMetadata(workload);
        NetworkPlacement.Apply(podSpec, podMetadata, values.Network);

        return PodParts.DaemonSet(workload, new V1PodTemplateSpec { Metadata = podMetadata, Spec = podSpec });
    }
}
