using System.Diagnostics.Metrics;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.MediaAgent.Diagnostics;

/// <summary>
/// The media agent's OpenTelemetry instruments on meter <see cref="MeterName"/>: RTPEngine's active sessions and
/// relayed packets and bytes (from ng <c>statistics</c>, split by forwarding path), whether the kernel forwards, and
/// restarts. Observable instruments report the latest poll; before the first one they report nothing.
/// </summary>
public sealed class MediaAgentMetrics
{
    /// <summary>The meter name; the agent adds it to the OpenTelemetry metrics it exports.</summary>
    public const string MeterName = "VoipPlatform.MediaAgent";

    private const string PathTag = "rtpengine.forwarding.path";
    private const string ModeTag = "rtpengine.forwarding.mode";
    private const string TableTag = "rtpengine.kernel.table";
    private const string Userspace = "userspace";
    private const string Kernel = "kernel";

    private readonly Lock _gate = new();
    private readonly MonotonicTotal _packetsUserspace = new();
    private readonly MonotonicTotal _packetsKernel = new();
    private readonly MonotonicTotal _bytesUserspace = new();
    private readonly MonotonicTotal _bytesKernel = new();
    private readonly Counter<long> _restarts;
    private long? _ownSessions;
    private ForwardingPlan? _forwarding;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, which owns and disposes it.</summary>
    public MediaAgentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("rtpengine.sessions.active", ObserveSessions, "{session}",
            "Media sessions this RTPEngine relays now");
        meter.CreateObservableCounter("rtpengine.packets.relayed", () => ObserveByPath(_packetsUserspace, _packetsKernel), "{packet}",
            "Packets relayed, by forwarding path (userspace or kernel)");
        meter.CreateObservableCounter("rtpengine.bytes.relayed", () => ObserveByPath(_bytesUserspace, _bytesKernel), "By",
            "Bytes relayed, by forwarding path (userspace or kernel)");
        meter.CreateObservableGauge("rtpengine.forwarding.kernel", ObserveForwarding, "{table}",
            "1 while RTPEngine forwards through a kernel table, 0 in userspace; the mode and table id are attributes");
        _restarts = meter.CreateCounter<long>("rtpengine.restarts", "{restart}", "Times RTPEngine was started again after it died");
    }

    /// <summary>Takes a statistics poll.</summary>
    public void RecordStatistics(RtpEngineStatistics statistics)
    {
        lock (_gate)
        {
            _ownSessions = statistics.OwnSessions;
            _packetsUserspace.Observe(statistics.PacketsUserspace);
            _packetsKernel.Observe(statistics.PacketsKernel);
            _bytesUserspace.Observe(statistics.BytesUserspace);
            _bytesKernel.Observe(statistics.BytesKernel);
        }
    }

    /// <summary>Takes the forwarding plan RTPEngine runs with.</summary>
    public void RecordForwarding(ForwardingPlan plan)
    {
        lock (_gate) _forwarding = plan;
    }

    /// <summary>Counts a restart; the new process's counters start from zero.</summary>
    public void RecordRestart()
    {
        _restarts.Add(1);
        lock (_gate)
        {
            _ownSessions = null;
            _packetsUserspace.Carry();
            _packetsKernel.Carry();
            _bytesUserspace.Carry();
            _bytesKernel.Carry();
        }
    }

    private IEnumerable<Measurement<long>> ObserveSessions()
    {
        lock (_gate)
        {
            return _ownSessions is { } sessions ? [new Measurement<long>(sessions)] : [];
        }
    }

    private IEnumerable<Measurement<long>> ObserveByPath(MonotonicTotal userspace, MonotonicTotal kernel)
    {
        lock (_gate)
        {
            return
            [
                new Measurement<long>(userspace.Value, new KeyValuePair<string, object?>(PathTag, Userspace)),
                new Measurement<long>(kernel.Value, new KeyValuePair<string, object?>(PathTag, Kernel)),
            ];
        }
    }

    private IEnumerable<Measurement<int>> ObserveForwarding()
    {
        lock (_gate)
        {
            if (_forwarding is not { } plan) return [];
            return
            [
                new Measurement<int>(plan.IsKernel ? 1 : 0,
                    new KeyValuePair<string, object?>(ModeTag, plan.IsKernel ? Kernel : Userspace),
                    new KeyValuePair<string, object?>(TableTag, plan.TableId)),
            ];
        }
    }
}
