using k8s;
using k8s.Models;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Redis (registrations, logic data): one StatefulSet pod with its data on a PersistentVolumeClaim (append-only file),
/// its password from the app model's secret parameter, and the Service its clients' connection strings name.
/// </summary>
internal static class RedisLayer
{
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
                "--port", PodParts.Number(port.ContainerPort),
                "--requirepass", $"$({PasswordVariable})",
                "--appendonly", "yes",
                "--dir", DataPath,
            ],
            Env = environment.Env,
            Ports = [port],
            ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.Name }, PeriodSeconds = 5 },
            LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.Name }, InitialDelaySeconds = 10, PeriodSeconds = 10 },
            VolumeMounts = [PodParts.Mount(DataPath, PodParts.DataVolume)],
        };

        yield return PodParts.StatefulSet(workload, KubernetesNaming.ServiceName(workload.Name), 1, container, redis.Storage);
        yield return PodParts.Service(workload, redis.Ports, headless: false);
    }
}
