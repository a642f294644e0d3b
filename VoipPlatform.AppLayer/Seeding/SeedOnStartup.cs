using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VoipPlatform.AppLayer.Seeding;

/// <summary>
/// Seeds the demo data at start-up when <c>AppLayer:SeedDemoData</c> is true. Runs in the background and retries,
/// because Redis may come up after the API; the API serves requests meanwhile.
/// </summary>
public sealed class SeedOnStartup(IServiceScopeFactory scopes, IOptions<SeedOptions> options, ILogger<SeedOnStartup> logger) : BackgroundService
{
    private const int MaxAttempts = 30;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedDemoData) return;
        for (int attempt = 1; attempt <= MaxAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(options.Value.SeedDomain);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Seeding demo data failed (attempt {Attempt} of {Max}): {Error}", attempt, MaxAttempts, ex.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
