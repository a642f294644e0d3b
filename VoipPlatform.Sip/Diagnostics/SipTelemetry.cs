using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VoipPlatform.Sip.Diagnostics;

/// <summary>
/// The tracing and metrics sources of the SIP core. Hosts subscribe to <see cref="SourceName"/>
/// for both traces and metrics (ServiceDefaults does so for every service).
/// </summary>
public static class SipTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="Meter"/> of the SIP core.</summary>
    public const string SourceName = "VoipPlatform.Sip";

    /// <summary>Source of one span per SIP transaction.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName);

    /// <summary>Meter for SIP counters (messages, transactions, drops).</summary>
    public static readonly Meter Meter = new(SourceName);
}
