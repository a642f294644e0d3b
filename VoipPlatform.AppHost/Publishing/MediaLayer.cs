using k8s;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Media nodes: the media agent with RTPEngine (containers/media), privileged for its kernel forwarding table and
/// firewall rule, on the host network (or Multus), after an init container has loaded the kernel module from the
/// host's <c>/lib/modules</c>. A DaemonSet on the media node pool, or a Deployment spread one per node.
/// </summary>
internal static class MediaLayer
{
    private const string ModulesVolume = "lib-modules";
    private const string ModulesPath = "/lib/modules";
    private const string ProcVolume = "proc-rtpengine";

    /// <summary>The module's control directory on the host.</summary>
    private const string HostProcPath = "/proc/rtpengine";

    /// <summary>
    /// Where the agent sees the host's <c>/proc/rtpengine</c>: container runtimes refuse mounts under <c>/proc</c>, so
    /// the host path is mounted beside it and the agent's control file points there. (RTPEngine itself opens
    /// <c>/proc/rtpengine/N</c>, which a privileged container on the host network sees in its own procfs.)
    /// </summary>
    private const string MountedProcPath = "/host/proc/rtpengine";

    /// <summary>RTPEngine's port range, for the network side's firewall (host network pods declare no range).</summary>
    public const string RtpPortsAnnotation = "voipplatform.io/rtp-ports";

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var media = values.Media;
        string ngPort = PodParts.Number(media.Ports[PlatformEndpoints.Ng]);
        environment
            .SetFromField("POD_IP", PodParts.PodIpField)
            .SetComposed("MediaAgent__NgEndpoint", $"$(POD_IP):{ngPort}")
            .Set("MediaAgent__Kernel__ControlFile", $"{MountedProcPath}/control")
            .Set("MediaAgent__Kernel__PortBase", PodParts.Number(media.RtpPortMin))
            .Set("MediaAgent__RtpEngine__UserspacePortMin", PodParts.Number(media.RtpPortMin))
            .Set("MediaAgent__RtpEngine__UserspacePortMax", PodParts.Number(media.RtpPortMax))
            .Set("HTTP_PORTS", PodParts.Number(media.Ports[PlatformEndpoints.Http]))
            .SetFromField("Consul__Service__Address", PodParts.PodIpField)
            .Set("Consul__Service__Meta__rtp_ports", $"{PodParts.Number(media.RtpPortMin)}-{PodParts.Number(media.RtpPortMax)}")
            .SetComposed("Consul__Service__Meta__ng", $"$(POD_IP):{ngPort}");

        yield return PodParts.ConfigMap(workload, environment.Config);
        yield return Workload(workload, environment, values);
        // The proxies find every ready relay by SRV (_ng._udp) and pick one per call.
        yield return PodParts.Service(workload, media.Ports, headless: true);
    }

    private static IKubernetesObject<V1ObjectMeta> Workload(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var media = values.Media;
        var (readiness, liveness) = PodParts.HttpProbes(PodParts.PortName(PlatformEndpoints.Http));
        var loadModule = new V1Container
        {
            Name = "load-kernel-module",
            Image = media.ModprobeImage,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            // Loading an already loaded module is a no-op; a module missing on the node fails the pod here, visibly.
            Command = ["modprobe", "$(MODULE)"],
            Env = [PodParts.Env("MODULE", media.KernelModule)],
            SecurityContext = new V1SecurityContext { Privileged = true },
            VolumeMounts = [PodParts.Mount(ModulesPath, ModulesVolume, readOnly: true)],
        };
        var agent = new V1Container
        {
            Name = workload.Name,
            Image = media.Image,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            Ports = PodParts.ContainerPorts(workload, media.Ports),
            EnvFrom = PodParts.FromConfigMap(workload),
            Env = environment.Env,
            ReadinessProbe = readiness,
            LivenessProbe = liveness,
            Lifecycle = PodParts.PreStopWait(media.PreStopDelaySeconds),
            // Kernel table (/proc/rtpengine/control), iptables/nftables rule: NET_ADMIN is not enough for the former.
            SecurityContext = new V1SecurityContext { Privileged = true },
            VolumeMounts = [PodParts.Mount(MountedProcPath, ProcVolume)],
        };

        var (nodeSelector, tolerations) = PodParts.NodePool(values.NodePools.Media);
        var podSpec = new V1PodSpec
        {
            InitContainers = [loadModule],
            Containers = [agent],
            NodeSelector = nodeSelector,
            Tolerations = tolerations,
            // The agent's drain (60 s of sessions) plus RTPEngine's stop (10 s), with room.
            TerminationGracePeriodSeconds = media.TerminationGracePeriodSeconds,
            Volumes =
            [
                new V1Volume { Name = ModulesVolume, HostPath = new V1HostPathVolumeSource { Path = ModulesPath, Type = "Directory" } },
                // Exists once the module is loaded (by the init container).
                new V1Volume { Name = ProcVolume, HostPath = new V1HostPathVolumeSource { Path = HostProcPath, Type = "Directory" } },
            ],
        };
        var podMetadata = PodParts.PodMetadata(workload);
        podMetadata.Annotations = new Dictionary<string, string> { [RtpPortsAnnotation] = $"{PodParts.Number(media.RtpPortMin)}-{PodParts.Number(media.RtpPortMax)}" };
        NetworkPlacement.Apply(podSpec, podMetadata, values.Network);
        var template = new V1PodTemplateSpec { Metadata = podMetadata, Spec = podSpec };
        var selector = PodParts.SelectorOf(workload.Name);

        if (media.Kind == MediaValues.DeploymentKind)
        {
            // Never two relays on one node: they would share the host's ports and kernel tables for nothing.
            podSpec.Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = selector }],
                },
            };
            return new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "Deployment"), workload.Name, workload.Layer),
                Spec = new V1DeploymentSpec { Replicas = media.Replicas, Selector = selector, Template = template },
            };
        }
        return PodParts.DaemonSet(workload, template);
    }
}
