using System.Globalization;
using k8s;
using k8s.Models;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Redis (registrations, logic data): one StatefulSet pod with its data on a PersistentVolumeClaim (append-only file),
/// its password from the app model's secret parameter, and the Service its clients' connection strings name.
/// </summary>
internal static class RedisLayer
{
    private const string DataVolume = "data";
    private const string DataPath = "/data";

    /// <summary>The variable the app model gives Redis its password in (Aspire's Redis integration).</summary>
    private const string PasswordVariable = "REDIS_PASSWORD";

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var redis = values.Redis;
        var port = PodParts.ContainerPorts(workload, redis.Ports).Single();
        if (!environment.Env.Any(e => e.Name == PasswordVariable))
        {
            throw new InvalidOperationException($"Redis '{workload.Name}' has no secret {PasswordVariable} in the app model: it would run without a password.");
        }
        var container = new V1Container
        {
            Name = workload.Name,
            Image = redis.Image,
            ImagePullPolicy = values.Global.ImagePullPolicy,
            Command = ["redis-server"],
            Args =
            [
                "--port", port.ContainerPort.ToString(CultureInfo.InvariantCulture),
                "--requirepass", $"$({PasswordVariable})",
                "--appendonly", "yes",
                "--dir", DataPath,
            ],
            Env = environment.Env,
            Ports = [port],
            ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.Name }, PeriodSeconds = 5 },
            LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.Name }, InitialDelaySeconds = 10, PeriodSeconds = 10 },
            VolumeMounts = [PodParts.Mount(DataPath, DataVolume)],
        };

        yield return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "StatefulSet"), workload.Name, workload.Layer),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = KubernetesNaming.ServiceName(workload.Name),
                Replicas = 1,
                Selector = PodParts.SelectorOf(workload.Name),
                Template = new V1PodTemplateSpec
                {
                    Metadata = PodParts.PodMetadata(workload),
                    Spec = new V1PodSpec { Containers = [container] },
                },
                VolumeClaimTemplates = [PodParts.DataClaim(DataVolume, redis.Storage)],
            },
        };
        yield return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = KubernetesNaming.Metadata(KubernetesNaming.ServiceName(workload.Name), workload.Name, workload.Layer),
            Spec = new V1ServiceSpec
            {
                Selector = KubernetesNaming.Selector(workload.Name),
                Ports = PodParts.ServicePorts(workload, redis.Ports),
            },
        };
    }
}
