using k8s.Models;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Names and labels, after Aspire.Hosting.Kubernetes: <c>&lt;resource&gt;-deployment</c>, <c>-service</c>,
/// <c>-config</c>..., and the <c>app.kubernetes.io/*</c> labels.
/// </summary>
internal static class KubernetesNaming
{
    public const string PartOf = "voipplatform";

    public const string NameLabel = "app.kubernetes.io/name";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string PartOfLabel = "app.kubernetes.io/part-of";

    public static string ServiceName(string workload) => $"{workload}-service";
    public static string ConfigName(string workload) => $"{workload}-config";

    /// <summary>Name of the object of <paramref name="kind"/> for a workload: <c>router</c> + <c>Deployment</c> → <c>router-deployment</c>.</summary>
    public static string ObjectName(string workload, string kind) => $"{workload}-{kind.ToLowerInvariant()}";

    public static V1ObjectMeta Metadata(string name, string workload, WorkloadLayer layer) => new()
    {
        Name = name,
        Labels = Labels(workload, layer),
    };

    public static Dictionary<string, string> Labels(string workload, WorkloadLayer layer) => new()
    {
        [NameLabel] = workload,
        [ComponentLabel] = ValuePlaceholders.CamelCase(layer.ToString()),
        [PartOfLabel] = PartOf,
    };

    /// <summary>What a workload's Services, PDB and pods select on.</summary>
    public static Dictionary<string, string> Selector(string workload) => new()
    {
        [NameLabel] = workload,
        [PartOfLabel] = PartOf,
    };

    /// <summary>The DNS SRV name of a named port of a headless Service (<c>_sip._udp.router-service.voip.svc.cluster.local</c>).</summary>
    public static string SrvName(string workload, string portName, string protocol, GlobalValues global) =>
        $"_{portName}._{protocol}.{ServiceName(workload)}.{global.Namespace}.svc.{global.ClusterDomain}";
}
