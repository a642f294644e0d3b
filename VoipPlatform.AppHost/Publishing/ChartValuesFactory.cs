using Aspire.Hosting.ApplicationModel;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// The default values: images, ports and replica counts from the app model, the switches from the publish options,
/// the rest from the defaults in <see cref="ChartValues"/>.
/// </summary>
internal static class ChartValuesFactory
{
    /// <summary>
    /// HTTP (health) ports of the host-network layers, as in their launch profiles: on a shared node the .NET default
    /// 8080 would collide between them.
    /// </summary>
    private static readonly Dictionary<WorkloadLayer, int> HostNetworkHttpPorts = new()
    {
        [WorkloadLayer.EdgeProxy] = 5201,
        [WorkloadLayer.Media] = 5203,
    };

    /// <summary>
    /// Probe of the stateless containers without an HTTP health endpoint: the Asterisk application servers, asked
    /// through Asterisk's CLI (the check their image's entrypoint also reports to Consul).
    /// </summary>
    private const string ContainerHealthCommand = "asterisk -rx 'core show uptime' >/dev/null";

    /// <summary>SIP over TLS at the edge (RFC 3261 section 26.2); not in the local app model, which runs no TLS.</summary>
    public const string SipTlsPortName = "sipTls";
    private const int SipTlsPort = 5061;

    /// <summary>SIP over secure WebSocket (WSS, RFC 7118) at the edge, with the TLS certificate; not in the local app model either.</summary>
    public const string SipSecureWebSocketPortName = "sipWss";
    private const int SipSecureWebSocketPort = 7443;

    public static ChartValues Create(IReadOnlyList<Workload> workloads, IReadOnlyDictionary<ParameterResource, string?> parameters,
        KubernetesPublishOptions options)
    {
        var values = new ChartValues();
        values.Global.Namespace = options.Namespace;
        values.Network.Mode = options.NetworkMode;
        values.Media.Kind = options.MediaKind;
        values.Proxy.Bird.Bfd = options.Bfd;
        values.Autoscaling.ActiveCallsMetric = options.ActiveCallsMetric;

        foreach (var (parameter, value) in parameters)
        {
            string key = ValuePlaceholders.ValuesKey(parameter.Name);
            if (parameter.Secret)
            {
                // Only the Secret's name: its value is created in the cluster, never written here.
                values.Secrets.Parameters[key] = new SecretReferenceValues { ExistingSecret = $"{KubernetesNaming.PartOf}-{parameter.Name}" };
            }
            else
            {
                values.Parameters[key] = value ?? string.Empty;
            }
        }

        foreach (var workload in workloads)
        {
            foreach (var volume in workload.Volumes)
            {
                values.Volumes.TryAdd(ValuePlaceholders.ValuesKey(volume.Source!), new VolumeValues());
            }
            string image = ImageOf(workload.Resource, options);
            var ports = PortsOf(workload);
            switch (workload.Layer)
            {
                case WorkloadLayer.EdgeProxy:
                    values.Proxy.Image = image;
                    values.Proxy.Ports = ports;
                    values.Proxy.Ports[SipTlsPortName] = SipTlsPort;
                    values.Proxy.Ports[SipSecureWebSocketPortName] = SipSecureWebSocketPort;
                    break;
                case WorkloadLayer.Media:
                    values.Media.Image = image;
                    values.Media.Ports = ports;
                    break;
                case WorkloadLayer.Consul:
                    values.Consul.Image = image;
                    values.Consul.Ports = ports;
                    foreach (var (name, port) in ConsulLayer.ServerPorts)
                    {
                        values.Consul.Ports[name] = port;
                    }
                    break;
                case WorkloadLayer.Redis:
                    values.Redis.Image = image;
                    values.Redis.Ports = ports;
                    break;
                default:
                    values.Stateless[ValuePlaceholders.ValuesKey(workload.Name)] = new StatelessValues
                    {
                        Image = image,
                        Ports = ports,
                        // The AppHost's replicas (router, router2) become the Deployment's count, at least the HPA's minimum.
                        Replicas = Math.Max(workload.ResourceCount, 2),
                        HealthCommand = workload.HasPort(PlatformEndpoints.Http) ? string.Empty : ContainerHealthCommand,
                    };
                    break;
            }
        }
        return values;
    }

    private static Dictionary<string, int> PortsOf(Workload workload)
    {
        var ports = workload.Ports.ToDictionary(p => p.ValuesKey, p => p.DefaultPort);
        if (HostNetworkHttpPorts.TryGetValue(workload.Layer, out int httpPort) && ports.ContainsKey(PlatformEndpoints.Http))
        {
            ports[PlatformEndpoints.Http] = httpPort;
        }
        return ports;
    }

    /// <summary>A container's own image; images built from this repository (projects, Dockerfiles) by the options' naming.</summary>
    private static string ImageOf(IResource resource, KubernetesPublishOptions options)
    {
        bool builtHere = resource is ProjectResource || resource.HasAnnotationOfType<DockerfileBuildAnnotation>();
        if (!builtHere && resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image))
        {
            string registry = string.IsNullOrEmpty(image.Registry) ? string.Empty : $"{image.Registry}/";
            string tag = string.IsNullOrEmpty(image.Tag) ? "latest" : image.Tag;
            return $"{registry}{image.Image}:{tag}";
        }
        return $"{options.ImageRepository}/{resource.Name}:{options.ImageTag}";
    }
}
