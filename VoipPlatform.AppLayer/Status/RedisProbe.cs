using System.Diagnostics;
using StackExchange.Redis;

namespace VoipPlatform.AppLayer.Status;

/// <summary>Asks Redis for a PING, bounded in time, and never throws.</summary>
public sealed class RedisProbe(IConnectionMultiplexer redis, ILogger<RedisProbe> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<RedisStatus> PingAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return new RedisStatus(Ok: true, LatencyMs: latency.TotalMilliseconds, Error: null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Redis did not answer PING");
            var elapsed = Stopwatch.GetElapsedTime(started);
            return new RedisStatus(Ok: false, LatencyMs: elapsed.TotalMilliseconds, Error: ex.Message);
        }
    }
}
