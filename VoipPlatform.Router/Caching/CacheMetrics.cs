using System.Diagnostics.Metrics;
using VoipPlatform.Sip.Diagnostics;

namespace VoipPlatform.Router.Caching;

/// <summary>
/// Counters of the decision cache, on the meter the service defaults already export (<see cref="SipTelemetry.Meter"/>),
/// tagged <c>cache</c> = <c>plans</c>, <c>credentials</c> or <c>domains</c>: the hit rate says how much of the API's
/// load the cache takes, the flushes how often the directory changes.
/// </summary>
internal static class CacheMetrics
{
    /// <summary>Answers served from the cache.</summary>
    public static readonly Counter<long> Hits = SipTelemetry.Meter.CreateCounter<long>("router.cache.hits", description: "Answers of the business-logic API reused from the router's cache");

    /// <summary>Questions that went to the API (cache off, bypassed, empty, or expired).</summary>
    public static readonly Counter<long> Misses = SipTelemetry.Meter.CreateCounter<long>("router.cache.misses", description: "Questions the router's cache sent to the business-logic API");

    /// <summary>Flushes of all caches (directory change notices, lost or proven subscriptions).</summary>
    public static readonly Counter<long> Flushes = SipTelemetry.Meter.CreateCounter<long>("router.cache.flushes", description: "Times the router dropped every cached answer");
}
