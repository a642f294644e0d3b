using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>How a workload runs in Kubernetes: the layers with platform-specific needs, and everything else.</summary>
internal enum WorkloadLayer
{
    /// <summary>The SIP edge: host network (or Multus), VIP announced by a BIRD sidecar.</summary>
    EdgeProxy,

    /// <summary>Media agent + RTPEngine: privileged, kernel module, host network (or Multus).</summary>
    Media,

    /// <summary>Any other project or container: Deployment, Service, HPA, PDB, drain on stop.</summary>
    Stateless,

    Consul,
    Redis,
}

/// <summary>One port of a workload, from an endpoint of the app model.</summary>
internal sealed record WorkloadPort(string Name, int DefaultPort, ProtocolType Protocol, string Scheme)
{
    /// <summary>The key in the workload's <c>ports</c> values (<c>sip</c>, <c>http</c>, <c>dns</c>...).</summary>
    public string ValuesKey => ValuePlaceholders.ValuesKey(Name);
}

/// <summary>
/// One Kubernetes workload made from the app model: a resource, or several resources of the same project (the
/// AppHost's <c>router</c> and <c>router2</c> are one Deployment with replicas, named after the first).
/// </summary>
internal sealed record Workload(string Name, WorkloadLayer Layer, IResource Resource, int ResourceCount, IReadOnlyList<WorkloadPort> Ports)
{
    /// <summary>The model's named volumes (<c>WithVolume</c>): data every replica shares.</summary>
    public IReadOnlyList<ContainerMountAnnotation> Volumes =>
        Resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume && m.Source is not null).ToList();

    public bool HasPort(string name) => Ports.Any(p => p.Name == name);

    /// <summary>One of the platform's .NET services: drains itself on SIGTERM and reads the <c>Sip__*</c>/<c>Consul__*</c> settings.</summary>
    public bool IsPlatformService => Resource is ProjectResource;
}

/// <summary>Reads the workloads out of the app model.</summary>
internal static class PlatformWorkloads
{
    /// <summary>The .NET container images' default HTTP port, for project endpoints the app model leaves to the host.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>Resources with platform-specific needs, by their name in AppHost.cs; every other compute resource is stateless.</summary>
    private static readonly Dictionary<string, WorkloadLayer> SpecialLayers = new(StringComparer.Ordinal)
    {
        ["proxy"] = WorkloadLayer.EdgeProxy,
        ["mediaagent"] = WorkloadLayer.Media,
        ["consul"] = WorkloadLayer.Consul,
    };

    /// <summary>
    /// Endpoints not published: in-cluster HTTP is plain (TLS for HTTP ends at the operator's ingress), so the
    /// projects' default <c>https</c> endpoints and references to them are left out.
    /// </summary>
    public static bool IsPublished(EndpointAnnotation endpoint) => endpoint.UriScheme != "https";

    public static IReadOnlyList<Workload> From(DistributedApplicationModel model)
    {
        var workloads = new List<Workload>();
        foreach (var group in model.Resources.Where(IsCompute).GroupBy(WorkloadKey))
        {
            var first = group.First();
            workloads.Add(new Workload(first.Name, LayerOf(first), first, group.Count(), PortsOf(first)));
        }
        return workloads;
    }

    /// <summary>The workload a resource is part of (its own, or that of the first resource of the same project).</summary>
    public static Workload Of(this IReadOnlyList<Workload> workloads, IResource resource)
    {
        string key = WorkloadKey(resource);
        // By name too: a project published as a Dockerfile image is a new resource of the same name, while references
        // taken earlier still point at the project.
        return workloads.FirstOrDefault(w => WorkloadKey(w.Resource) == key)
            ?? workloads.FirstOrDefault(w => w.Resource.Name == resource.Name)
            ?? throw new InvalidOperationException($"Resource '{resource.Name}' is referenced but is no published workload.");
    }

    private static bool IsCompute(IResource resource) => resource is ProjectResource or ContainerResource;

    private static string WorkloadKey(IResource resource) =>
        resource is ProjectResource project ? project.GetProjectMetadata().ProjectPath : resource.Name;

    private static WorkloadLayer LayerOf(IResource resource) =>
        resource is RedisResource ? WorkloadLayer.Redis
        : SpecialLayers.TryGetValue(resource.Name, out var layer) ? layer
        : WorkloadLayer.Stateless;

    private static List<WorkloadPort> PortsOf(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>()
            .Where(IsPublished)
            .Select(e => new WorkloadPort(e.Name, e.TargetPort ?? DefaultHttpPort, e.Protocol, e.UriScheme))
            .ToList();

    /// <summary>Whether a workload speaks SIP (its DNS SRV comes from a headless Service).</summary>
    public static bool SpeaksSip(this Workload workload) => workload.HasPort(PlatformEndpoints.Sip);
}
