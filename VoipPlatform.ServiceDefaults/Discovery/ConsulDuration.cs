using System.Globalization;

namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>Writes durations the way Consul (Go's <c>time.ParseDuration</c>) reads them.</summary>
internal static class ConsulDuration
{
    /// <returns>Whole seconds as <c>10s</c>; anything finer as milliseconds, e.g. <c>300ms</c>.</returns>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)Math.Ceiling(duration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
}
