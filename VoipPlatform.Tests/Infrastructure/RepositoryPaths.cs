namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (the checkout itself, not copies in the test output).</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding <c>VoipPlatform.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under <see cref="Root"/>.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoipPlatform.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("VoipPlatform.sln not found above the test output directory.");
    }
}
