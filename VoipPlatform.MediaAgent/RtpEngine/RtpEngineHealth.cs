using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Outcome of the latest ping, shared by the pinger and the health check.</summary>
public sealed class RtpEngineHealth(TimeProvider timeProvider)
{
    private volatile Snapshot _last = new(Ok: false, Detail: "no ping yet", At: timeProvider.GetUtcNow());

    public void Record(string? error) =>
        _last = new(Ok: error is null, Detail: error ?? "pong", At: timeProvider.GetUtcNow());

    public Snapshot Last => _last;

    public sealed record Snapshot(bool Ok, string Detail, DateTimeOffset At);
}

/// <summary>Healthy only while the last ping to RTPEngine succeeded.</summary>
public sealed class RtpEngineHealthCheck(RtpEngineHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = health.Last;
        var description = $"rtpengine ping at {last.At:O}: {last.Detail}";
        return Task.FromResult(last.Ok ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}
