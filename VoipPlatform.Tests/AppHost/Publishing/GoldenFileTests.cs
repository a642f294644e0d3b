namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// The default publish, file by file, against the copy kept in Golden/default: any change to what an operator gets
/// shows up in review. After an intended change, refresh the copy and review its diff:
/// <code>VP_UPDATE_GOLDEN=1 dotnet test VoipPlatform.Tests -c Release --filter "FullyQualifiedName~Publishing.GoldenFileTests"</code>
/// </summary>
[Collection(PublishCollection.Name)]
public sealed class GoldenFileTests(PublishFixture publish)
{
    private const string Refresh =
        "refresh the copy with VP_UPDATE_GOLDEN=1 dotnet test VoipPlatform.Tests -c Release --filter \"FullyQualifiedName~Publishing.GoldenFileTests\" and review its diff.";

    private static string GoldenDirectory =>
        Path.Combine(PublishTools.RepositoryRoot(), "VoipPlatform.Tests", "AppHost", "Publishing", "Golden", "default");

    [Fact]
    public void The_default_publish_matches_the_golden_files()
    {
        var actual = Files(publish.Default.Directory);
        if (Environment.GetEnvironmentVariable("VP_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(GoldenDirectory)) Directory.Delete(GoldenDirectory, recursive: true);
            foreach (var (path, text) in actual)
            {
                string target = Path.Combine(GoldenDirectory, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }
        }

        var golden = Files(GoldenDirectory);
        Assert.True(golden.Keys.SequenceEqual(actual.Keys),
            $"The publish wrote other files than the golden copy has (new: {string.Join(", ", actual.Keys.Except(golden.Keys))}; " +
            $"gone: {string.Join(", ", golden.Keys.Except(actual.Keys))}); if intended, {Refresh}");
        foreach (var (path, text) in golden)
        {
            Assert.True(text == actual[path],
                $"{path} differs from the golden copy; if intended, {Refresh}\n--- golden\n{text}\n--- published\n{actual[path]}");
        }
    }

    /// <summary>What a publish wrote, by path relative to its folder.</summary>
    private static SortedDictionary<string, string> Files(string directory) =>
        Directory.Exists(directory)
            ? new(Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText), StringComparer.Ordinal)
            : [];
}
