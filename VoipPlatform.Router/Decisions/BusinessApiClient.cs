using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Contracts.Users;
using VoipPlatform.Router.Configuration;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// The router's view of the business-logic API (docs/business-logic-api.md). Every failure to get an answer —
/// refused connection, timeout, open circuit, 5xx — surfaces as <see cref="BusinessApiUnavailableException"/>, which
/// callers turn into 503 with Retry-After: the router never hangs on the API.
/// </summary>
public sealed class BusinessApiClient(HttpClient http, IMemoryCache cache, IOptions<RouterOptions> options)
{
    /// <summary>Name of the resource (and of the Aspire service-discovery entry) the API runs as.</summary>
    public const string ServiceName = "applayer";

    private readonly RouterOptions _options = options.Value;

    /// <summary>Asks the API how to route a call.</summary>
    public async Task<RoutePlan> RouteAsync(CallRouteRequest call, CancellationToken cancellation = default)
    {
        using HttpResponseMessage response = await SendAsync(() => http.PostAsJsonAsync("/v1/calls/route", call, cancellation));
        EnsureAnswered(response);
        return await response.Content.ReadFromJsonAsync<RoutePlan>(cancellation)
               ?? throw new BusinessApiUnavailableException("The API answered an empty routing plan.");
    }

    /// <summary>The HA1 credentials of user@domain, or null when the API knows no such user. Cached briefly.</summary>
    public Task<UserCredentials?> GetCredentialsAsync(string user, string domain) =>
        Cached($"credentials:{domain}:{user}", async () =>
        {
            using HttpResponseMessage response = await SendAsync(() =>
                http.GetAsync($"/v1/domains/{Uri.EscapeDataString(domain)}/users/{Uri.EscapeDataString(user)}/credentials"));
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            EnsureAnswered(response);
            return await response.Content.ReadFromJsonAsync<UserCredentials>();
        });

    /// <summary>True when the platform serves <paramref name="domain"/>. Cached briefly.</summary>
    public Task<bool> IsServedDomainAsync(string domain) =>
        Cached($"domain:{domain}", async () =>
        {
            using HttpResponseMessage response = await SendAsync(() => http.GetAsync($"/v1/domains/{Uri.EscapeDataString(domain)}"));
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            EnsureAnswered(response);
            return true;
        });

    private async Task<T> Cached<T>(string key, Func<Task<T>> load)
    {
        if (cache.TryGetValue(key, out T? hit)) return hit!;
        T value = await load();
        cache.Set(key, value, _options.DirectoryCacheTime);
        return value;
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException
                                       or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new BusinessApiUnavailableException(ex.Message, ex);
        }
    }

    private static void EnsureAnswered(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new BusinessApiUnavailableException($"The API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }
}

/// <summary>The business-logic API gave no usable answer.</summary>
public sealed class BusinessApiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
