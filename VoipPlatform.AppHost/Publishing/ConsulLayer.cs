using System.Globalization;
using k8s;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Consul servers (the local run's single dev agent becomes a server cluster): a StatefulSet with a data volume per
/// server, a headless Service the servers find each other by, and the Service the platform's services register with
/// (HTTP) and may ask (DNS, UDP and TCP).
/// </summary>
internal static class ConsulLayer
{
    /// <summary>Server-to-server ports (Consul's defaults), in the values beside the model's HTTP and DNS ports.</summary>
    public static readonly Dictionary<string, int> ServerPorts = new() { ["server"] = 8300, [SerfLanPort] = 8301 };

    private const string SerfLanPort = "serfLan";
    private const string DataVolume = "data";
    private const string DataPath = "/consul/data";

    public static string PeersServiceName(Workload workload) => $"{workload.Name}-headless";

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var consul = values.Consul;
        string peers = $"{PeersServiceName(workload)}.{values.Global.Namespace}.svc.{values.Global.ClusterDomain}";
        var container = new V1Container
        {
            Name = workload.Name,
            Image = consul.Image,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            Args =
            [
                "agent", "-server", "-ui",
                $"-bootstrap-expect={Number(consul.Replicas)}",
                // Every server joins the others by the headless Service's name (all server pods' addresses).
                $"-retry-join={peers}",
                "-client=0.0.0.0",
                $"-data-dir={DataPath}",
                $"-http-port={Number(consul.Ports[PlatformEndpoints.Http])}",
                $"-dns-port={Number(consul.Ports[PlatformEndpoints.Dns])}",
                "-advertise=$(POD_IP)",
            ],
            Env = [.. environment.Env, PodParts.EnvFromField("POD_IP", PodParts.PodIpField)],
            Ports =
            [
                .. PodParts.ContainerPorts(workload, consul.Ports),
                // Serf gossips over UDP as well as TCP.
                new V1ContainerPort { ContainerPort = consul.Ports[SerfLanPort], Name = PodParts.PortName(SerfLanPort) + "-udp", Protocol = "UDP" },
            ],
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Port = PodParts.PortName(PlatformEndpoints.Http), Path = "/v1/status/leader" },
                PeriodSeconds = 5,
            },
            VolumeMounts = [PodParts.Mount(DataPath, DataVolume)],
        };

        yield return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "StatefulSet"), workload.Name, workload.Layer),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = PeersServiceName(workload),
                Replicas = consul.Replicas,
                // Servers start together: the cluster elects a leader only once bootstrap-expect servers are up.
                PodManagementPolicy = "Parallel",
                Selector = PodParts.SelectorOf(workload.Name),
                Template = new V1PodTemplateSpec
                {
                    Metadata = PodParts.PodMetadata(workload),
                    Spec = new V1PodSpec { Containers = [container] },
                },
                VolumeClaimTemplates = [PodParts.DataClaim(DataVolume, consul.Storage)],
            },
        };
        yield return Service(workload, PeersServiceName(workload), consul, headless: true);
        yield return Service(workload, KubernetesNaming.ServiceName(workload.Name), consul, headless: false);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static V1Service Service(Workload workload, string name, ConsulValues consul, bool headless) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = KubernetesNaming.Metadata(name, workload.Name, workload.Layer),
        Spec = new V1ServiceSpec
        {
            ClusterIP = headless ? "None" : null,
            // Peers must find each other before any is ready (no leader yet).
            PublishNotReadyAddresses = headless ? true : null,
            Selector = KubernetesNaming.Selector(workload.Name),
            Ports = PodParts.ServicePorts(workload, consul.Ports),
        },
    };
}
