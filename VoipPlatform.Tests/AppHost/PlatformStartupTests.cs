using System.Net.Http.Json;
using System.Text.Json;

namespace VoipPlatform.Tests.AppHost;

/// <summary>The platform comes up without containers and its parts really talk to each other.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformStartupTests(PlatformFixture platform)
{
    private static readonly TimeSpan MediaAgentHealthyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppLayer_status_reports_that_the_local_redis_answers_ping()
    {
        using var client = platform.CreateHttpClient("applayer");

        using var status = await client.GetFromJsonAsync<JsonDocument>("/v1/status");

        Assert.NotNull(status);
        Assert.Equal("applayer", status.RootElement.GetProperty("service").GetString());
        var redis = status.RootElement.GetProperty("redis");
        Assert.True(redis.GetProperty("ok").GetBoolean(), redis.GetRawText());
    }

    [Fact]
    public async Task MediaAgent_becomes_healthy_against_the_real_rtpengine()
    {
        await platform.WaitForHealthyAsync("mediaagent", MediaAgentHealthyTimeout);

        using var client = platform.CreateHttpClient("mediaagent");
        var health = await client.GetStringAsync("/health");

        Assert.Equal("Healthy", health);
    }

    [Fact]
    public async Task Proxy_is_told_its_sip_port_and_where_the_router_listens()
    {
        var environment = await platform.GetEnvironmentAsync("proxy");

        Assert.Equal("5060", environment["Sip__Port"]);
        Assert.Equal("udp://localhost:5070", environment["services__router__sip__0"]);
        Assert.Equal("udp://localhost:5071", environment["services__router2__sip__0"]);
    }

    [Fact]
    public async Task Router_replicas_share_redis_and_the_digest_nonce_secret()
    {
        var first = await platform.GetEnvironmentAsync("router");
        var second = await platform.GetEnvironmentAsync("router2");

        Assert.Equal("127.0.0.1:6380", first["ConnectionStrings__redis"]);
        Assert.Equal(first["ConnectionStrings__redis"], second["ConnectionStrings__redis"]);
        Assert.True(Convert.FromBase64String(first["Sip__Digest__NonceSecret"]).Length >= 32);
        Assert.Equal(first["Sip__Digest__NonceSecret"], second["Sip__Digest__NonceSecret"]);
        Assert.NotEqual(first["Sip__Port"], second["Sip__Port"]);
    }

    [Fact]
    public async Task AppLayer_gets_the_same_redis_connection_string_shape_as_with_a_container()
    {
        var environment = await platform.GetEnvironmentAsync("applayer");

        Assert.Equal("127.0.0.1:6380", environment["ConnectionStrings__redis"]);
    }
}
