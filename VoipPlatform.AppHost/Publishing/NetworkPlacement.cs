using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Where the proxy and media pods meet the outside network. <c>host</c> (solution 1): the node's own interfaces, so
/// SIP and RTP see real addresses with no NAT. <c>multus</c> (solution 2): the pod network as usual, plus a second
/// interface from a Multus NetworkAttachmentDefinition (macvlan or ipvlan) on the node's external interface.
/// </summary>
internal static class NetworkPlacement
{
    /// <summary>The pod annotation Multus reads to attach extra networks.</summary>
    public const string MultusNetworksAnnotation = "k8s.v1.cni.cncf.io/networks";

    public static void Apply(V1PodSpec pod, V1ObjectMeta podMetadata, NetworkValues network)
    {
        if (network.Mode == NetworkValues.MultusMode)
        {
            podMetadata.Annotations ??= new Dictionary<string, string>();
            podMetadata.Annotations[MultusNetworksAnnotation] = network.Multus.Name;
            return;
        }
        pod.HostNetwork = true;
        // Still resolve cluster names (Services, SRV) from the host network.
        pod.DnsPolicy = "ClusterFirstWithHostNet";
    }

    /// <summary>The NetworkAttachmentDefinition, in multus mode only.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(ChartValues values)
    {
        var multus = values.Network.Multus;
        if (values.Network.Mode != NetworkValues.MultusMode)
        {
            yield break;
        }
        var cni = new CniConfig(
            CniVersion: "0.3.1",
            Type: multus.Type,
            Master: multus.Master,
            Mode: multus.Mode,
            Ipam: new CniIpam("whereabouts", multus.IpRange));
        yield return new NetworkAttachmentDefinition
        {
            Metadata = new V1ObjectMeta { Name = multus.Name, Labels = new Dictionary<string, string> { [KubernetesNaming.PartOfLabel] = KubernetesNaming.PartOf } },
            Spec = new NetworkAttachmentDefinitionSpec { Config = JsonSerializer.Serialize(cni, CniJson.Default.CniConfig) },
        };
    }
}

/// <summary>The CNI configuration a NetworkAttachmentDefinition carries as a JSON string.</summary>
internal sealed record CniConfig(
    [property: JsonPropertyName("cniVersion")] string CniVersion,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("master")] string Master,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("ipam")] CniIpam Ipam);

internal sealed record CniIpam(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("range")] string Range);

[JsonSerializable(typeof(CniConfig))]
internal sealed partial class CniJson : JsonSerializerContext;

/// <summary>Multus' custom resource (<c>k8s.cni.cncf.io/v1</c>); the typed client has no model for it.</summary>
internal sealed class NetworkAttachmentDefinition : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "k8s.cni.cncf.io/v1";
    public string Kind { get; set; } = "NetworkAttachmentDefinition";
    public V1ObjectMeta Metadata { get; set; } = new();
    public NetworkAttachmentDefinitionSpec Spec { get; set; } = new();
}

internal sealed class NetworkAttachmentDefinitionSpec
{
    public string Config { get; set; } = "{}";
}
