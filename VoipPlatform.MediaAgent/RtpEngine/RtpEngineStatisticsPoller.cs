using System.Net.Sockets;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.Diagnostics;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Polls ng <c>statistics</c> at a fixed interval and hands the figures to the metrics.</summary>
public sealed partial class RtpEngineStatisticsPoller(
    NgClient client,
    RtpEngineSupervisor supervisor,
    MediaAgentMetrics metrics,
    IOptions<MediaAgentOptions> options,
    TimeProvider timeProvider,
    ILogger<RtpEngineStatisticsPoller> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatisticsInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // A process that is restarting has no figures; the ping already reports it, so no noise here.
            if (supervisor.State != RtpEngineProcessState.Running) continue;
            try
            {
                metrics.RecordStatistics(await RtpEngineStatistics.FetchAsync(client, stoppingToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or FormatException or SocketException)
            {
                LogPollFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ng statistics failed: {Reason}")]
    private partial void LogPollFailed(string reason);
}
