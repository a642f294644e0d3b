using k8s;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>One published object and the file it is written to (its name, without <c>.yaml</c>).</summary>
internal sealed record ChartFile(string Name, IKubernetesObject<V1ObjectMeta> Object);

/// <summary>Every object of the platform for one set of values: each workload through its layer's builder.</summary>
internal sealed class PlatformObjects(IReadOnlyList<Workload> workloads, IReadOnlyDictionary<Workload, WorkloadEnvironment> environments)
{
    /// <summary>
    /// Next hops found by DNS SRV of the headless Services (Kubernetes answers only with ready pods), replacing the
    /// local run's Consul DNS names: consumer workload, setting, target workload, target port.
    /// </summary>
    private static readonly (string Consumer, string Setting, string Target, string Port)[] SrvNextHops =
    [
        ("proxy", "Proxy__RouterService", RouterHostingExtensions.NamePrefix, PlatformEndpoints.Sip),
        ("proxy", "Proxy__Media__NodeService", "mediaagent", PlatformEndpoints.Ng),
        (RouterHostingExtensions.NamePrefix, "Router__ApplicationService", "asterisk", PlatformEndpoints.Sip),
    ];

    /// <summary>Addresses that mean "this machine": in a pod they reach nothing the local run meant.</summary>
    private static readonly string[] LocalAddresses = [PlatformPorts.LoopbackAddress, "localhost"];

    public List<ChartFile> Build(ChartValues values)
    {
        var files = new List<ChartFile>();
        foreach (var workload in workloads)
        {
            var environment = environments[workload].Translate(workloads, values);
            ApplySrvNextHops(workload, environment, values);
            var objects = workload.Layer switch
            {
                WorkloadLayer.EdgeProxy => EdgeProxyLayer.Build(workload, environment, values),
                WorkloadLayer.Media => MediaLayer.Build(workload, environment, values),
                WorkloadLayer.Consul => ConsulLayer.Build(workload, environment, values),
                WorkloadLayer.Redis => RedisLayer.Build(workload, environment, values),
                _ => StatelessLayer.Build(workload, environment, values),
            };
            files.AddRange(objects.Select(o => new ChartFile(o.Metadata.Name, o)));
            CheckNoLocalAddress(workload, environment);
        }
        files.AddRange(NetworkPlacement.Build(values).Select(o => new ChartFile("network-attachment-definition", o)));
        // A volume several workloads mount is one claim, written once.
        return files.DistinctBy(f => f.Name).ToList();
    }

    private void ApplySrvNextHops(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        foreach (var (consumer, setting, target, port) in SrvNextHops)
        {
            if (workload.Name == consumer && workloads.FirstOrDefault(w => w.Name == target) is { } targetWorkload)
            {
                string protocol = targetWorkload.Ports.Single(p => p.Name == port).Scheme;
                environment.Set(setting, KubernetesNaming.SrvName(targetWorkload.Name, PodParts.PortName(port), protocol, values.Global));
            }
        }
    }

    private static void CheckNoLocalAddress(Workload workload, TranslatedEnvironment environment)
    {
        var local = environment.Config.Where(kv => LocalAddresses.Any(a => kv.Value.Contains(a, StringComparison.OrdinalIgnoreCase))).ToList();
        if (local.Count > 0)
        {
            throw new InvalidOperationException(
                $"'{workload.Name}' would get a local-machine address in Kubernetes: {string.Join(", ", local.Select(kv => $"{kv.Key}={kv.Value}"))}. " +
                "Give the setting a cluster value in its layer (VoipPlatform.AppHost/Publishing).");
        }
    }
}
