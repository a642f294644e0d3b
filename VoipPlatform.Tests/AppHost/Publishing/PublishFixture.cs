namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>One publish for every test class that reads its output.</summary>
[CollectionDefinition(Name)]
public sealed class PublishCollection : ICollectionFixture<PublishFixture>
{
    public const string Name = "Kubernetes publish";
}

/// <summary>
/// Runs the AppHost's publish twice, as <c>aspire publish</c> does (<c>--operation publish --step publish
/// --output-path DIR</c>), on the built AppHost: once with the defaults, once with every switch set the other way
/// (Multus, media as a Deployment, BFD, the active-calls metric). No container runtime or cluster is involved.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
    /// <summary>Every switch away from its default: the publish options that set values.yaml's switches.</summary>
    public static readonly string[] SwitchedArgs =
    [
        "--VoipPlatform:Kubernetes:NetworkMode=multus",
        "--VoipPlatform:Kubernetes:MediaKind=Deployment",
        "--VoipPlatform:Kubernetes:Bfd=true",
        "--VoipPlatform:Kubernetes:ActiveCallsMetric=true",
    ];

    /// <summary>Secret parameter values given to both publishes: no output file may contain them.</summary>
    public const string NonceSecret = "nonce-secret-that-must-not-leak-4f1d";
    public const string RedisPassword = "redis-password-that-must-not-leak-9c2e";

    private static readonly string[] SecretArgs =
    [
        $"--Parameters:sip-nonce-secret={NonceSecret}",
        $"--Parameters:redis-password={RedisPassword}",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vp-publish-" + Guid.NewGuid().ToString("N"));

    public PublishOutput Default { get; private set; } = null!;

    /// <summary>For files tests write themselves, away from the publish output.</summary>
    public string ScratchDirectory => Directory.CreateDirectory(Path.Combine(_root, "scratch")).FullName;

    public PublishOutput Switched { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Default = await PublishAsync(Path.Combine(_root, "default"), SecretArgs);
        Switched = await PublishAsync(Path.Combine(_root, "switched"), [.. SecretArgs, .. SwitchedArgs]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs the publish into <paramref name="output"/>; fails with the AppHost's log when the step fails.</summary>
    public static async Task<PublishOutput> PublishAsync(string output, IEnumerable<string> extraArgs)
    {
        var (exit, log) = await PublishTools.Run("dotnet",
            [AppHostAssembly(), "--operation", "publish", "--step", "publish", "--output-path", output, .. extraArgs]);

        // The AppHost exits 0 even when a pipeline step fails, so its log is checked too.
        if (exit != 0 || log.Contains("fail:", StringComparison.Ordinal) || !File.Exists(Path.Combine(output, "README.md")))
        {
            throw new InvalidOperationException($"Publish failed (exit {exit}):\n{log}");
        }
        return PublishOutput.Load(output);
    }

    /// <summary>The AppHost as built beside the tests (a project reference), else in its own output folder.</summary>
    private static string AppHostAssembly()
    {
        const string file = "VoipPlatform.AppHost.dll";
        string beside = Path.Combine(AppContext.BaseDirectory, file);
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }
        string project = Path.GetDirectoryName(Projects.VoipPlatform_AppHost.ProjectPath)!;
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string built = Path.Combine(project, "bin", configuration, "net10.0", file);
        return File.Exists(built) ? built : throw new FileNotFoundException($"The AppHost is not built: neither {beside} nor {built}.");
    }
}

/// <summary>What one publish wrote: README, the chart (values, templates) and the plain manifests.</summary>
public sealed class PublishOutput
{
    public required string Directory { get; init; }
    public required string ValuesText { get; init; }
    public required Dictionary<string, object?> Values { get; init; }

    /// <summary>Template text by file name without <c>.yaml</c>.</summary>
    public required SortedDictionary<string, string> Templates { get; init; }

    /// <summary>Each plain manifest (one object per file) by file name without <c>.yaml</c>.</summary>
    public required SortedDictionary<string, Dictionary<string, object?>> Manifests { get; init; }

    public required string Kustomization { get; init; }
    public required string Readme { get; init; }

    public string ManifestsDirectory => Path.Combine(Directory, "manifests");

    public Dictionary<string, object?> Object(string name) =>
        Manifests.TryGetValue(name, out var tree) ? tree : throw new KeyNotFoundException($"No manifest {name}.yaml; have: {string.Join(", ", Manifests.Keys)}");

    public IEnumerable<Dictionary<string, object?>> OfKind(string kind) => Manifests.Values.Where(m => (string?)m["kind"] == kind);

    public static PublishOutput Load(string directory)
    {
        string chart = Path.Combine(directory, "chart");
        string manifests = Path.Combine(directory, "manifests");
        string valuesText = File.ReadAllText(Path.Combine(chart, "values.yaml"));
        return new PublishOutput
        {
            Directory = directory,
            ValuesText = valuesText,
            Values = YamlTree.Load(valuesText),
            Templates = new(System.IO.Directory.GetFiles(Path.Combine(chart, "templates"), "*.yaml")
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText), StringComparer.Ordinal),
            Manifests = new(System.IO.Directory.GetFiles(manifests, "*.yaml")
                .Where(f => Path.GetFileName(f) != "kustomization.yaml")
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => YamlTree.Load(File.ReadAllText(f))), StringComparer.Ordinal),
            Kustomization = File.ReadAllText(Path.Combine(manifests, "kustomization.yaml")),
            Readme = File.ReadAllText(Path.Combine(directory, "README.md")),
        };
    }

    /// <summary>Every template rendered with <paramref name="values"/> (a values.yaml tree), as objects by kind/name.</summary>
    public SortedDictionary<string, Dictionary<string, object?>> Render(Dictionary<string, object?> values)
    {
        var objects = new SortedDictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (name, template) in Templates)
        {
            foreach (var document in YamlTree.LoadAll(HelmSubsetRenderer.Render(template, values)))
            {
                objects.Add(Key(document), document);
            }
        }
        return objects;
    }

    /// <summary>The plain manifests as objects by kind/name, comparable with <see cref="Render"/>.</summary>
    public SortedDictionary<string, Dictionary<string, object?>> PlainObjects() =>
        new(Manifests.Values.ToDictionary(Key), StringComparer.Ordinal);

    private static string Key(Dictionary<string, object?> document) =>
        $"{document["kind"]}/{((Dictionary<string, object?>)document["metadata"]!)["name"]}";
}
