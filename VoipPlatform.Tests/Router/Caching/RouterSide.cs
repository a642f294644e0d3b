using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoipPlatform.Router.Caching;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Decisions;

namespace VoipPlatform.Tests.Router.Caching;

/// <summary>
/// The router's side of the business-logic API as the router wires it: a <see cref="BusinessApiClient"/> over real
/// HTTP to the real API, with a <see cref="DirectoryCache"/> subscribed on a Redis connection of its own. Counts the
/// HTTP requests it sends, so a test can tell a cached answer from an asked one.
/// </summary>
internal sealed class RouterSide : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly CountingHandler _counter;
    private readonly HttpClient _http;

    private RouterSide(ConnectionMultiplexer redis, CountingHandler counter, HttpClient http, DirectoryCache cache)
    {
        _redis = redis;
        _counter = counter;
        _http = http;
        Cache = cache;
        Api = new BusinessApiClient(http, cache, NullLogger<BusinessApiClient>.Instance);
    }

    public BusinessApiClient Api { get; }

    public DirectoryCache Cache { get; }

    /// <summary>HTTP requests sent to the API so far.</summary>
    public int ApiRequests => _counter.Count;

    /// <param name="redisConnectionString">The Redis the router subscribes on (the API's, unless a test needs another).</param>
    /// <param name="api">The API's base address.</param>
    public static async Task<RouterSide> StartAsync(string redisConnectionString, Uri api, RouterOptions options, TimeProvider? time = null)
    {
        var configuration = ConfigurationOptions.Parse(redisConnectionString);
        configuration.AbortOnConnectFail = false;
        // Reconnect quickly after a restart, so a test does not wait for the default back-off.
        configuration.ReconnectRetryPolicy = new LinearRetry(200);
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        var counter = new CountingHandler { InnerHandler = new HttpClientHandler() };
        var http = new HttpClient(counter) { BaseAddress = api };
        var cache = new DirectoryCache(redis, Options.Create(options), time ?? TimeProvider.System, NullLogger<DirectoryCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        var side = new RouterSide(redis, counter, http, cache);
        await side.WaitAsync(live: true);
        return side;
    }

    /// <summary>Waits (bounded) until the cache is, or is no longer, live.</summary>
    public async Task WaitAsync(bool live, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(15));
        while (Cache.IsLive != live)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the directory cache did not become {(live ? "live" : "bypassed")}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.StopAsync(CancellationToken.None);
        Cache.Dispose();
        _http.Dispose();
        await _redis.DisposeAsync();
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
