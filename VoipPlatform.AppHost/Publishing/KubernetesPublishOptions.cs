namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Publish-time choices (configuration section <c>VoipPlatform:Kubernetes</c>, e.g.
/// <c>--VoipPlatform:Kubernetes:NetworkMode=multus</c>): they set the defaults of <c>values.yaml</c>, and so what the
/// plain manifests hold. The Helm chart can still switch each of them at install time.
/// </summary>
internal sealed class KubernetesPublishOptions
{
    public const string SectionName = "VoipPlatform:Kubernetes";

    /// <summary><c>host</c> or <c>multus</c> (<see cref="NetworkValues.Mode"/>).</summary>
    public string NetworkMode { get; set; } = NetworkValues.HostMode;

    /// <summary><c>DaemonSet</c> or <c>Deployment</c> (<see cref="MediaValues.Kind"/>).</summary>
    public string MediaKind { get; set; } = MediaValues.DaemonSetKind;

    public bool Bfd { get; set; }

    public bool ActiveCallsMetric { get; set; }

    public string Namespace { get; set; } = "voip";

    /// <summary>Images built from this repository are <c>{ImageRepository}/{resource}:{ImageTag}</c>.</summary>
    public string ImageRepository { get; set; } = "voipplatform";

    public string ImageTag { get; set; } = "latest";

    /// <summary>Checks the choices, naming every bad one.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (NetworkMode is not (NetworkValues.HostMode or NetworkValues.MultusMode))
        {
            errors.Add($"{SectionName}:NetworkMode must be '{NetworkValues.HostMode}' or '{NetworkValues.MultusMode}', not '{NetworkMode}'.");
        }
        if (MediaKind is not (MediaValues.DaemonSetKind or MediaValues.DeploymentKind))
        {
            errors.Add($"{SectionName}:MediaKind must be '{MediaValues.DaemonSetKind}' or '{MediaValues.DeploymentKind}', not '{MediaKind}'.");
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }
}
