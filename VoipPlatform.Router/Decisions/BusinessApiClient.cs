using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Contracts.Users;
using VoipPlatform.Router.Caching;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// The router's view of the business-logic API (docs/business-logic-api.md). Every failure to get an answer —
/// refused connection, timeout, open circuit, 5xx — surfaces as <see cref="BusinessApiUnavailableException"/>, which
/// callers turn into 503 with Retry-After: the router never hangs on the API. Answers are reused through
/// <see cref="DirectoryCache"/>, which drops them whenever the API's directory changes, and renewed in the
/// background before their max age (<see cref="AnswerCache{TKey,TValue}"/>), so a hot answer never makes a request wait.
/// </summary>
public sealed class BusinessApiClient(HttpClient http, DirectoryCache cache, ILogger<BusinessApiClient> logger)
{
    /// <summary>Name of the resource (and of the Aspire service-discovery entry) the API runs as.</summary>
    public const string ServiceName = "applayer";

    // Each public method checks its cache before anything else, so a hit allocates nothing but the completed task
    // (the lambdas below would otherwise allocate their closures on entry).

    /// <summary>How to route a call: the plan the API gave for the same facts (all but the Call-ID), else the API's answer.</summary>
    public Task<RoutePlan> RouteAsync(CallRouteRequest call, CancellationToken cancellation = default)
    {
        if (!cache.Plans.TryGet(call, out RoutePlan? cached, out bool renew)) return AskRouteAsync(call, cache.Ticket(), cancellation);
        if (renew) Renew(call, static (client, call, ticket) => client.AskRouteAsync(call, ticket, CancellationToken.None));
        return Task.FromResult(cached);
    }

    /// <summary>The HA1 credentials of user@domain, or null when the API knows no such user.</summary>
    public Task<UserCredentials?> GetCredentialsAsync(string user, string domain)
    {
        if (!cache.Credentials.TryGet((user, domain), out UserCredentials? cached, out bool renew)) return AskCredentialsAsync(user, domain, cache.Ticket());
        if (renew) Renew((user, domain), static (client, key, ticket) => client.AskCredentialsAsync(key.user, key.domain, ticket));
        return Task.FromResult(cached);
    }

    /// <summary>True when the platform serves <paramref name="domain"/>.</summary>
    public Task<bool> IsServedDomainAsync(string domain)
    {
        if (!cache.ServedDomains.TryGet(domain, out bool cached, out bool renew)) return AskServedDomainAsync(domain, cache.Ticket());
        if (renew) Renew(domain, static (client, domain, ticket) => client.AskServedDomainAsync(domain, ticket));
        return Task.FromResult(cached);
    }

    /// <summary>
    /// Asks again for an answer about to run out, off the caller's thread (a SIP worker) and outside its call's trace;
    /// a failure only means the cached answer serves until its max age.
    /// </summary>
    private void Renew<TKey>(TKey key, Func<BusinessApiClient, TKey, long, Task> ask)
    {
        long ticket = cache.Ticket();
        _ = Task.Run(async () =>
        {
            Activity.Current = null;
            try
            {
                await ask(this, key, ticket);
            }
            catch (BusinessApiUnavailableException ex)
            {
                logger.LogDebug("Renewing a cached API answer failed; it serves until its max age: {Reason}", ex.Message);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Renewing a cached API answer failed; it serves until its max age");
            }
        });
    }

    // The ticket is taken before the question goes out: an answer that crosses a directory change is not kept.

    private async Task<RoutePlan> AskRouteAsync(CallRouteRequest call, long ticket, CancellationToken cancellation)
    {
        using HttpResponseMessage response = await SendAsync(() => http.PostAsJsonAsync("/v1/calls/route", call, cancellation));
        EnsureAnswered(response);
        RoutePlan plan = await response.Content.ReadFromJsonAsync<RoutePlan>(cancellation)
                         ?? throw new BusinessApiUnavailableException("The API answered an empty routing plan.");
        cache.Plans.Add(call, plan, ticket);
        return plan;
    }

    private async Task<UserCredentials?> AskCredentialsAsync(string user, string domain, long ticket)
    {
        using HttpResponseMessage response = await SendAsync(() =>
            http.GetAsync($"/v1/domains/{Uri.EscapeDataString(domain)}/users/{Uri.EscapeDataString(user)}/credentials"));
        UserCredentials? credentials = null;
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            EnsureAnswered(response);
            credentials = await response.Content.ReadFromJsonAsync<UserCredentials>();
        }
        cache.Credentials.Add((user, domain), credentials, ticket);
        return credentials;
    }

    private async Task<bool> AskServedDomainAsync(string domain, long ticket)
    {
        using HttpResponseMessage response = await SendAsync(() => http.GetAsync($"/v1/domains/{Uri.EscapeDataString(domain)}"));
        bool served = response.StatusCode != HttpStatusCode.NotFound;
        if (served) EnsureAnswered(response);
        cache.ServedDomains.Add(domain, served, ticket);
        return served;
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
