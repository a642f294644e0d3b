using System.Text.RegularExpressions;

namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// The Helm chart against the plain manifests: its templates, rendered by <see cref="HelmSubsetRenderer"/>, give the
/// same objects for the same values; and every image, port and count in them is a value.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed partial class HelmChartTests(PublishFixture publish)
{
    [Fact]
    public void The_templates_render_the_plain_manifests_for_the_default_values()
    {
        AssertSameObjects(publish.Default.PlainObjects(), publish.Default.Render(publish.Default.Values));
    }

    [Fact]
    public void The_same_templates_render_every_switch_the_other_way_as_a_publish_with_those_switches_does()
    {
        // The chart of the default publish, installed with the other publish's values (multus, Deployment, BFD,
        // active-calls metric), must give exactly what that publish wrote as plain manifests.
        AssertSameObjects(publish.Switched.PlainObjects(), publish.Default.Render(publish.Switched.Values));
        Assert.Equal(publish.Default.Templates, publish.Switched.Templates);
    }

    [Fact]
    public void Images_ports_and_counts_set_at_install_time_reach_the_objects()
    {
        var values = YamlTree.Load(publish.Default.ValuesText);
        var router = values.Map("stateless").Map("router");
        router["image"] = "registry.example/router:1.2.3";
        router["replicas"] = 7L;
        router.Map("ports")["sip"] = 5090L;
        values.Map("proxy")["vip"] = "198.51.100.7";

        var rendered = publish.Default.Render(values);
        var deployment = rendered["Deployment/router-deployment"];
        Assert.Equal(7L, deployment.At("spec.replicas"));
        var container = deployment.Maps("spec.template.spec.containers").Single();
        Assert.Equal("registry.example/router:1.2.3", container["image"]);
        Assert.Contains(container.Maps("ports"), p => (string?)p["name"] == "sip" && (long?)p["containerPort"] == 5090);
        Assert.Equal("5090", rendered["ConfigMap/router-config"].Map("data")["Sip__Port"]);
        Assert.Equal("udp://router-service:5090", rendered["ConfigMap/proxy-config"].Map("data")["services__router__sip__0"]);
        Assert.Contains("stubnet 198.51.100.7/32;", (string)rendered["ConfigMap/proxy-bird-config"].Map("data")["bird-announced.conf"]!);
    }

    [Fact]
    public void No_image_port_or_count_is_written_into_a_template_as_a_literal()
    {
        int imageLines = 0;
        foreach (var (file, template) in publish.Default.Templates)
        {
            foreach (Match line in ImageLine().Matches(template))
            {
                imageLines++;
                Assert.True(line.Value.Contains("{{ .Values.", StringComparison.Ordinal), $"{file}: '{line.Value.Trim()}' is not from values");
            }
            // Redis is one pod by design: its data is one instance, with no replication configured.
            var literals = LiteralNumberLine().Matches(template).Select(m => m.Value.Trim())
                .Where(line => !(file == "redis-statefulset" && line == "replicas: 1"));
            Assert.True(!literals.Any(), $"{file}: literal numbers where values belong: {string.Join("; ", literals)}");
        }
        Assert.True(imageLines >= 8, $"only {imageLines} image lines found");
        // The plain manifests' images are the values' defaults.
        var images = publish.Default.Manifests.Values
            .SelectMany(m => Pods(m))
            .SelectMany(pod => pod.Maps("containers").Concat(pod.TryGetValue("initContainers", out var init) ? ((List<object?>)init!).Cast<Dictionary<string, object?>>() : []))
            .Select(c => (string)c["image"]!)
            .ToHashSet();
        Assert.Contains("voipplatform/proxy:latest", images);
        Assert.All(images, image => Assert.Contains($": {image}\n", publish.Default.ValuesText));
    }

    [Fact]
    public void The_renderer_supports_the_subset_the_chart_uses_and_rejects_anything_else()
    {
        var values = YamlTree.Load("a:\n  s: x\"y\n  n: 3\n  on: true\n  off: false\n  mode: host\n");
        string template = "k: {{ .Values.a.s | quote }}\nn: {{ .Values.a.n }}\n{{- if .Values.a.on }}\nyes: 1\n{{ end }}\n{{- if .Values.a.off }}\nno: 1\n{{ else }}\n"
            + "{{- if eq .Values.a.mode \"host\" }}\nhost: 1\n{{ else }}\nother: 1\n{{ end }}\n{{ end }}\n";
        Assert.Equal(
            YamlTree.Canonical(YamlTree.Load("k: \"x\\\"y\"\nn: 3\nyes: 1\nhost: 1\n")),
            YamlTree.Canonical(YamlTree.Load(HelmSubsetRenderer.Render(template, values))));

        Assert.Throws<NotSupportedException>(() => HelmSubsetRenderer.Render("{{ .Values.a.s | upper }}", values));
        Assert.Throws<NotSupportedException>(() => HelmSubsetRenderer.Render("{{ include \"x\" . }}", values));
        Assert.Throws<NotSupportedException>(() => HelmSubsetRenderer.Render("{{ range .Values.a }}{{ end }}", values));
        Assert.Throws<KeyNotFoundException>(() => HelmSubsetRenderer.Render("{{ .Values.a.missing }}", values));
        Assert.Throws<FormatException>(() => HelmSubsetRenderer.Render("{{- if .Values.a.on }}\nx: 1\n", values));
    }

    private static IEnumerable<Dictionary<string, object?>> Pods(Dictionary<string, object?> manifest) =>
        (string?)manifest["kind"] is "Deployment" or "DaemonSet" or "StatefulSet" ? [manifest.Map("spec.template.spec")] : [];

    private static void AssertSameObjects(
        SortedDictionary<string, Dictionary<string, object?>> expected, SortedDictionary<string, Dictionary<string, object?>> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, tree) in expected)
        {
            Assert.True(YamlTree.Canonical(tree) == YamlTree.Canonical(actual[key]),
                $"{key} differs:\n--- plain\n{YamlTree.Canonical(tree)}\n--- rendered\n{YamlTree.Canonical(actual[key])}");
        }
    }

    [GeneratedRegex(@"^\s*-?\s*image:.*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();

    /// <summary>A port number, count or grace period written as a literal (port names like <c>port: http</c> are fine).</summary>
    [GeneratedRegex(@"^\s*-?\s*(containerPort|port|targetPort|replicas|minReplicas|maxReplicas|terminationGracePeriodSeconds|Sip__Port|Sip__TlsPort|Sip__WebSocketPort|Sip__SecureWebSocketPort|HTTP_PORTS):\s*""?\d+""?\s*$", RegexOptions.Multiline)]
    private static partial Regex LiteralNumberLine();
}
