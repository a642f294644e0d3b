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

    /// <summary>BIRD run by the tests in a network namespace of their own: root, iproute2, bird2, curl.</summary>
    public const string BirdNamespace = "bird-netns";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>tests/k8s-validate in the repository (the test's source tree, as CI lays it out).</summary>
    public static string ValidatorDirectory => Path.Combine(RepositoryRoot(), "tests", "k8s-validate");

    /// <summary>Why <paramref name="tool"/> cannot be used here, or null when it can.</summary>
    public static string? Missing(string tool) => tool switch
    {
        Node when Find("node") is null => "Node.js ('node') is not on PATH.",
        Node when !File.Exists(Path.Combine(ValidatorDirectory, "node_modules", "kubernetes-models", "package.json")) =>
            $"The validator's npm packages are not installed in {ValidatorDirectory} (npm ci).",
        Bird or BirdNamespace when Find("bird") is null || Find("birdc") is null => "BIRD ('bird', 'birdc', Debian package bird2) is not on PATH.",
        BirdNamespace when Environment.UserName != "root" => "Network namespaces need root.",
        BirdNamespace when Find("ip") is null || Find("curl") is null => "'ip' (iproute2) or 'curl' is not on PATH.",
        _ => null,
    };

    public static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a command to its end (at most 60 s) and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> Run(string command, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args) startInfo.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

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
