using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// Healthy only while the RTPEngine process the agent runs now has answered an ng ping and the latest ping succeeded.
/// A pong recorded before the current process started came from one that has since died, so it does not count.
/// </summary>
public sealed class RtpEngineHealthCheck(RtpEngineHealth health, RtpEngineSupervisor supervisor) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = supervisor.State;
        if (state != RtpEngineProcessState.Running)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"rtpengine is {state} ({supervisor.Restarts} restarts)"));
        }
        var last = health.Last;
        var description = $"rtpengine PID {supervisor.ProcessId}, ping at {last.At:O}: {last.Detail}";
        bool answeredSinceStart = last.At >= supervisor.StartedAt;
        return Task.FromResult(last.Ok && answeredSinceStart
            ? HealthCheckResult.Healthy(description)
            : HealthCheckResult.Unhealthy(answeredSinceStart ? description : $"rtpengine PID {supervisor.ProcessId} has not answered a ping yet"));
    }
}
