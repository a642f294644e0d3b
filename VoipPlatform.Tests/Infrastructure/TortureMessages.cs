namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// The RFC 4475 torture messages and their expected outcomes, from <c>shared/conformance/rfc4475</c> beside the
/// repository (test data made by others, used as given).
/// </summary>
public static class TortureMessages
{
    public sealed record Case(string File, string Section, string Kind, string Parse, string Proxy, string What)
    {
        public byte[] Bytes => System.IO.File.ReadAllBytes(Path.Combine(Directory, File));

        public override string ToString() => $"{File} ({Section})";
    }

    public static string Directory { get; } = FindDirectory();

    public static IReadOnlyList<Case> All { get; } = Load();

    public static TheoryData<string> FileNames()
    {
        var data = new TheoryData<string>();
        foreach (Case c in All) data.Add(c.File);
        return data;
    }

    public static Case Get(string file) => All.Single(c => c.File == file);

    private static List<Case> Load() =>
        File.ReadLines(Path.Combine(Directory, "EXPECTED.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("file\t"))
            .Select(line => line.Split('\t'))
            .Select(f => new Case(f[0], f[1], f[2], f[3], f[4], f[5]))
            .ToList();

    private static string FindDirectory()
    {
        // The repository root holds VoipPlatform.sln; shared/ lies beside the checkout (../shared).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "VoipPlatform.sln")))
            {
                string path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "rfc4475"));
                if (System.IO.Directory.Exists(path)) return path;
                throw new DirectoryNotFoundException($"RFC 4475 conformance data not found at {path}: shared/ must lie beside the checkout.");
            }
        }
        throw new DirectoryNotFoundException("Repository root (VoipPlatform.sln) not found above " + AppContext.BaseDirectory);
    }
}
