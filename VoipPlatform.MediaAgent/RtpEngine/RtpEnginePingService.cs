using System.Net;
using System.Net.Sockets;
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
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PingInterval, timeProvider);
        do
        {
            var error = await PingAsync(stoppingToken);
            var wasOk = health.Last.Ok;
            var lastDetail = health.Last.Detail;
            health.Record(error);
            // Log transitions only: a ping every few seconds would flood the logs.
            if (error is null && !wasOk)
            {
                LogReachable(client.Endpoint);
            }
            else if (error is not null && (wasOk || lastDetail != error))
            {
                LogUnreachable(client.Endpoint, error);
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
        catch (SocketException ex)
        {
            // The kernel's ICMP "port unreachable" for an earlier datagram: nothing listens on the ng port (yet).
            return $"ng port closed ({ex.SocketErrorCode})";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RTPEngine at {Endpoint} answers ng ping")]
    private partial void LogReachable(IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTPEngine at {Endpoint} does not answer ng ping: {Error}")]
    private partial void LogUnreachable(IPEndPoint endpoint, string error);
}
