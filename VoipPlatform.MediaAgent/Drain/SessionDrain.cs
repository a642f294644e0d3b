using System.Net.Sockets;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.RtpEngine;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.Drain;

/// <summary>
/// Waits, at shutdown, until RTPEngine relays no session of its own or the grace period ends. New sessions stopped
/// coming before this runs: the Consul registration entered maintenance when the host began stopping, so the proxy
/// no longer picks this relay, while calls already on it keep their media until they hang up.
/// </summary>
public sealed partial class SessionDrain(
    NgClient client,
    RtpEngineSupervisor supervisor,
    IOptions<MediaAgentOptions> options,
    TimeProvider timeProvider,
    ILogger<SessionDrain> logger)
{
    /// <summary>Counts sessions with ng <c>statistics</c> every poll interval until none is left or the grace period ends.</summary>
    /// <param name="cancellationToken">The host's shutdown timeout: stops waiting at once.</param>
    public async Task<DrainOutcome> WaitAsync(CancellationToken cancellationToken)
    {
        var drain = options.Value.Drain;
        var deadline = timeProvider.GetUtcNow() + drain.GracePeriod;
        long? reported = null;
        try
        {
            while (true)
            {
                long? sessions = await CountAsync(cancellationToken).ConfigureAwait(false);
                if (sessions is null && supervisor.State != RtpEngineProcessState.Running)
                {
                    LogNotRunning(supervisor.State);
                    return DrainOutcome.EngineUnreachable;
                }
                if (sessions == 0)
                {
                    LogDrained();
                    return DrainOutcome.Drained;
                }
                var remaining = deadline - timeProvider.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    LogGracePeriodEnded(sessions?.ToString() ?? "an unknown number of", drain.GracePeriod);
                    return DrainOutcome.GracePeriodEnded;
                }
                // Once per change: a count every second would flood the log on a busy relay.
                if (sessions is not null && sessions != reported) LogWaiting(sessions.Value, remaining);
                reported = sessions ?? reported;
                await Task.Delay(remaining < drain.PollInterval ? remaining : drain.PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled();
            return DrainOutcome.Cancelled;
        }
    }

    /// <returns>RTPEngine's own sessions, or null when it did not answer this time.</returns>
    private async Task<long?> CountAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await RtpEngineStatistics.FetchAsync(client, cancellationToken).ConfigureAwait(false)).OwnSessions;
        }
        catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or FormatException or SocketException)
        {
            // One lost reply must not cut every call short: a running RTPEngine is asked again at the next poll.
            LogCountFailed(ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Sessions} media sessions still active; waiting up to {Remaining} more")]
    private partial void LogWaiting(long sessions, TimeSpan remaining);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no media session left")]
    private partial void LogDrained();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain grace period of {GracePeriod} ended with {Sessions} media sessions active: they end with RTPEngine")]
    private partial void LogGracePeriodEnded(string sessions, TimeSpan gracePeriod);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drain could not count sessions this time: {Reason}")]
    private partial void LogCountFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain skipped: RTPEngine is not running ({State})")]
    private partial void LogNotRunning(RtpEngineProcessState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain cut short by the host's shutdown timeout")]
    private partial void LogCancelled();
}
