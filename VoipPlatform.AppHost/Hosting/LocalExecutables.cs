namespace VoipPlatform.AppHost.Hosting;

/// <summary>Finds the Debian-packaged binaries (redis-server, rtpengine) the local fallbacks run.</summary>
internal static class LocalExecutables
{
    /// <summary>Full path of <paramref name="command"/> on PATH, or null when it is not installed.</summary>
    public static string? FindOnPath(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Shared wording for a missing binary, so every fallback says the same thing.</summary>
    public static string MissingMessage(string resource, string command, string package, string consequence) =>
        $"'{command}' is not on PATH, so '{resource}' is left out of this run ({consequence}). " +
        $"Install it with scripts/install-deps.sh (Debian package {package}).";
}
