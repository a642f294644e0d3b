using Microsoft.Extensions.Http.Resilience;
using Polly;
using VoipPlatform.Router.Caching;
using VoipPlatform.Router.Configuration;

namespace VoipPlatform.Router.Decisions;

/// <summary>Wires <see cref="BusinessApiClient"/> with a resilience policy made for call setup.</summary>
internal static class BusinessApiClientRegistration
{
    /// <summary>
    /// A caller waits for the decision, so the standard handler (30 s total, retries) is replaced: one attempt with
    /// a short timeout, and a circuit breaker that, once the API keeps failing, answers at once until it recovers.
    /// </summary>
    public static IServiceCollection AddBusinessApiClient(this IServiceCollection services, IConfiguration configuration)
    {
        RouterOptions options = configuration.GetSection(RouterOptions.SectionName).Get<RouterOptions>() ?? new RouterOptions();
        services.AddSingleton<DirectoryCache>();
        services.AddHostedService(provider => provider.GetRequiredService<DirectoryCache>());
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: the one way to drop the standard handler ServiceDefaults adds
        services.AddHttpClient<BusinessApiClient>(http => http.BaseAddress = new Uri($"https+http://{BusinessApiClient.ServiceName}"))
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("business-api", pipeline => pipeline
                .AddTimeout(options.ApiTimeout * 2)
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 5,
                    SamplingDuration = TimeSpan.FromSeconds(10),
                    BreakDuration = options.ApiBreakDuration,
                })
                .AddTimeout(options.ApiTimeout));
#pragma warning restore EXTEXP0001
        return services;
    }
}
