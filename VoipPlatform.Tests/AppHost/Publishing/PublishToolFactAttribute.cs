namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// A test that needs a tool scripts/install-deps.sh installs (Node.js with the npm packages of tests/k8s-validate,
/// BIRD). On a developer machine without it the test is skipped, saying what to run; in CI (<c>CI=true</c>) it is
/// never skipped, so a missing prerequisite fails it with the test's own message instead of passing silently.
/// </summary>
public sealed class PublishToolFactAttribute : FactAttribute
{
    public PublishToolFactAttribute(string tool)
    {
        if (PublishTools.Missing(tool) is { } reason && !PublishTools.InCi)
        {
            Skip = $"{reason} Run scripts/install-deps.sh (CI runs it; there this test fails instead of skipping).";
        }
    }
}

public static class PublishTools
{
    public const string Node = "node";
    public const string Bird = "bird";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>tests/k8s-validate in the repository (the test's source tree, as CI lays it out).</summary>
    public static string ValidatorDirectory => Path.Combine(RepositoryRoot(), "tests", "k8s-validate");

    /// <summary>Why <paramref name="tool"/> cannot be used here, or null when it can.</summary>
    public static string? Missing(string tool) => tool switch
    {
        Node when Find("node") is null => "Node.js ('node') is not on PATH.",
        Node when !File.Exists(Path.Combine(ValidatorDirectory, "node_modules", "kubernetes-models", "package.json")) =>
            $"The validator's npm packages are not installed in {ValidatorDirectory} (npm ci).",
        Bird when Find("bird") is null => "BIRD ('bird', Debian package bird2) is not on PATH.",
        _ => null,
    };

    public static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);

    /// <summary>The checkout: the nearest folder above the test binaries that holds VoipPlatform.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoipPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No VoipPlatform.sln above {AppContext.BaseDirectory}.");
    }
}
