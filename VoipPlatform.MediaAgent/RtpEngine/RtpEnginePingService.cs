using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>Pings RTPEngine over ng at a fixed interval and records the outcome for the health check.</summary>
public sealed partial class RtpEnginePingService(
    NgClient client,
    RtpEngineHealth health,
    IOptions<MediaAgentOptions> options,
    TimeProvider timeProvider,
    ILogger<RtpEnginePingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var endpoint = IPEndPoint.Parse(settings.NgEndpoint);
        using var timer = new PeriodicTimer(settings.PingInterval, timeProvider);
        do
        {
            var error = await PingAsync(stoppingToken);
            var wasOk = health.Last.Ok;
            health.Record(error);
            // Log transitions only: a ping every few seconds would flood the logs.
            if (error is null && !wasOk)
            {
                LogReachable(endpoint);
            }
            else if (error is not null && (wasOk || health.Last.Detail != error))
            {
                LogUnreachable(endpoint, error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <returns>Null when RTPEngine answered <c>pong</c>; otherwise why the ping failed.</returns>
    private async Task<string?> PingAsync(CancellationToken stoppingToken)
    {
        try
        {
            await client.PingAsync(stoppingToken);
            return null;
        }
        catch (NgTimeoutException)
        {
            return $"no reply within {options.Value.PingTimeout.TotalMilliseconds:0} ms";
        }
        catch (NgErrorException ex)
        {
            return $"error reply: {ex.Reason}";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RTPEngine at {Endpoint} answers ng ping")]
    private partial void LogReachable(IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTPEngine at {Endpoint} does not answer ng ping: {Error}")]
    private partial void LogUnreachable(IPEndPoint endpoint, string error);
}
