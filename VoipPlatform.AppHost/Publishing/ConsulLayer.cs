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
                $"-bootstrap-expect={PodParts.Number(consul.Replicas)}",
                // Every server joins the others by the headless Service's name (all server pods' addresses).
                $"-retry-join={peers}",
                "-client=0.0.0.0",
                $"-data-dir={DataPath}",
                $"-http-port={PodParts.Number(consul.Ports[PlatformEndpoints.Http])}",
                $"-dns-port={PodParts.Number(consul.Ports[PlatformEndpoints.Dns])}",
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
            VolumeMounts = [PodParts.Mount(DataPath, PodParts.DataVolume)],
        };

        // Servers start together: the cluster elects a leader only once bootstrap-expect servers are up.
        yield return PodParts.StatefulSet(workload, PeersServiceName(workload), consul.Replicas, container, consul.Storage, podManagementPolicy: "Parallel");
        // Peers must find each other before any is ready (no leader yet).
        yield return PodParts.Service(workload, consul.Ports, headless: true, PeersServiceName(workload), publishNotReadyAddresses: true);
        yield return PodParts.Service(workload, consul.Ports, headless: false);
    }
}
