using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using VoipPlatform.AppLayer;

namespace VoipPlatform.Tests.AppLayer.Infrastructure;

/// <summary>Every logic-API test joins this collection: one Redis and one API for all of them, run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AppLayerCollection : ICollectionFixture<AppLayerFixture>
{
    public const string Name = "AppLayer";
}

/// <summary>
/// A real <c>redis-server</c> and the real logic API (<see cref="AppLayerApplication.Build"/>, Kestrel on a loopback
/// port) in the test process. Tests isolate themselves by using a fresh domain each (<see cref="NewDomain"/>) and
/// read Redis directly through <see cref="Redis"/> to check what was (not) stored.
/// </summary>
public sealed class AppLayerFixture : IAsyncLifetime
{
    /// <summary>The seed domain of this fixture's API, so the seed test never touches another test's data.</summary>
    public const string SeedDomain = "seed.voip.test";

    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private RedisServer? _redisServer;
    private WebApplication? _app;
    private ConnectionMultiplexer? _redis;

    public HttpClient Http { get; private set; } = null!;

    public IDatabase Redis => _redis!.GetDatabase();

    /// <summary>The StackExchange.Redis connection string of the API's Redis, for clients of its own (a router's).</summary>
    public string RedisConnectionString => _redisServer!.ConnectionString;

    public StackExchange.Redis.IServer RedisAdmin => _redis!.GetServer(_redisServer!.EndPoint);

    public async Task InitializeAsync()
    {
        _redisServer = await RedisServer.StartAsync();
        _app = AppLayerApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:redis={_redisServer.ConnectionString}",
            $"--AppLayer:SeedDomain={SeedDomain}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address) };
        _redis = await ConnectionMultiplexer.ConnectAsync(_redisServer.ConnectionString + ",allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_redisServer is not null) await _redisServer.DisposeAsync();
    }

    /// <summary>A domain name no other test uses (not yet created).</summary>
    public static string NewDomain() => $"t{Guid.NewGuid():N}"[..13] + ".test";

    /// <summary>Every Redis key that mentions <paramref name="domain"/>: what a test's writes left behind.</summary>
    public async Task<List<string>> KeysOfAsync(string domain)
    {
        var keys = new List<string>();
        await foreach (var key in RedisAdmin.KeysAsync(pattern: $"*{domain}*")) keys.Add(key.ToString());
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Creates a domain through the API.</summary>
    public async Task<string> CreateDomainAsync()
    {
        string domain = NewDomain();
        (await Http.PostAsJsonAsync("/v1/domains", new { name = domain }, Json)).EnsureSuccessStatusCode();
        return domain;
    }

    /// <summary>Creates a user through the API; <paramref name="settings"/> adds or overrides body fields.</summary>
    public async Task CreateUserAsync(string domain, string user, string password = "password123", object? settings = null)
    {
        var body = new Dictionary<string, object?> { ["user"] = user, ["password"] = password };
        if (settings is not null)
        {
            foreach (var property in settings.GetType().GetProperties()) body[property.Name] = property.GetValue(settings);
        }
        var response = await Http.PostAsJsonAsync($"/v1/domains/{domain}/users", body, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
