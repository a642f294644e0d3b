using System.Text;
using k8s;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>YAML as the Kubernetes client writes it, each document ending with a newline.</summary>
internal static class ChartYaml
{
    public static string Serialize(object value) => KubernetesYaml.Serialize(value).TrimEnd('\n') + "\n";
}

/// <summary>
/// Writes the publish output:
/// <code>
/// README.md                    how to install (generated from the values)
/// chart/Chart.yaml, values.yaml, templates/&lt;object&gt;.yaml   the Helm chart
/// manifests/&lt;object&gt;.yaml, kustomization.yaml               the same objects for the default values
/// </code>
/// </summary>
internal static class ChartWriter
{
    public const string ChartName = "voipplatform";
    public const string ChartDirectory = "chart";
    public const string ManifestsDirectory = "manifests";

    public static async Task WriteAsync(string output, ChartValues defaults, Func<ChartValues, List<ChartFile>> build,
        string appVersion, CancellationToken cancellationToken)
    {
        string chart = Path.Combine(output, ChartDirectory);
        string templates = Path.Combine(chart, "templates");
        string manifests = Path.Combine(output, ManifestsDirectory);
        foreach (string directory in new[] { templates, manifests })
        {
            // Files of an earlier publish that this one no longer makes must not linger.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(Path.Combine(chart, "Chart.yaml"), ChartYaml.Serialize(new ChartMetadata
        {
            Name = ChartName,
            Description = "VoipPlatform: SIP edge, routing, media, application servers, Consul and Redis (from the Aspire AppHost).",
            AppVersion = appVersion,
        }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(chart, "values.yaml"),
            "# Values of the VoipPlatform chart, written by the AppHost's publish: ../README.md and docs/kubernetes.md explain them.\n" +
            "# Secrets are referenced by name only (secrets.*); create them in the namespace before installing.\n" +
            ChartYaml.Serialize(defaults), cancellationToken);
        foreach (var (name, text) in ChartTemplates.Build(defaults, build))
        {
            await File.WriteAllTextAsync(Path.Combine(templates, name + ".yaml"), text, cancellationToken);
        }

        var files = build(defaults);
        foreach (var file in files)
        {
            await File.WriteAllTextAsync(Path.Combine(manifests, file.Name + ".yaml"), ChartYaml.Serialize(file.Object), cancellationToken);
        }
        await File.WriteAllTextAsync(Path.Combine(manifests, "kustomization.yaml"), Kustomization(defaults, files), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "README.md"), OutputReadme.Text(defaults, files), cancellationToken);
    }

    private static string Kustomization(ChartValues values, List<ChartFile> files)
    {
        var text = new StringBuilder();
        text.Append("# The objects of the chart for its default values (chart/values.yaml). Apply: kubectl apply -k .\n");
        text.Append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        text.Append("kind: Kustomization\n");
        text.Append("namespace: ").Append(values.Global.Namespace).Append('\n');
        text.Append("resources:\n");
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append("- ").Append(file.Name).Append(".yaml\n");
        }
        return text.ToString();
    }

    private sealed class ChartMetadata
    {
        public string ApiVersion { get; set; } = "v2";
        public string Name { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;
        public string Type { get; set; } = "application";
        public string Version { get; set; } = "0.1.0";
        public string AppVersion { get; set; } = string.Empty;
    }
}
