using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using VoipPlatform.Contracts.Directory;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

/// <summary>
/// The change notices the routers' caches rely on: every committed write increments <c>vp:directory:epoch</c> and
/// publishes the new value on <c>vp:directory:changed</c>; a refused write does neither.
/// </summary>
[Collection(AppLayerCollection.Name)]
public sealed class DirectoryChangeTests(AppLayerFixture fixture) : IAsyncLifetime
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(DirectoryChanges.Channel);
    private readonly Channel<long> _notices = System.Threading.Channels.Channel.CreateUnbounded<long>();
    private ISubscriber _subscriber = null!;

    private HttpClient Http => fixture.Http;

    public async Task InitializeAsync()
    {
        _subscriber = fixture.Redis.Multiplexer.GetSubscriber();
        await _subscriber.SubscribeAsync(Channel, OnNotice);
    }

    public Task DisposeAsync() => _subscriber.UnsubscribeAsync(Channel, OnNotice);

    // Routers publish probes on the same channel (not numbers): only the API's epochs count here.
    private void OnNotice(RedisChannel channel, RedisValue message)
    {
        if (message.TryParse(out long epoch)) _notices.Writer.TryWrite(epoch);
    }

    private async Task<long> EpochAsync() => (long?)await fixture.Redis.StringGetAsync(DirectoryChanges.EpochKey) ?? 0;

    /// <summary>Runs a write that must succeed; asserts it moved the epoch by one and published exactly that value.</summary>
    private async Task AssertPublishesAsync(string what, Func<Task<HttpResponseMessage>> write)
    {
        long before = await EpochAsync();
        using var response = await write();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        long after = await EpochAsync();
        Assert.True(after == before + 1, $"{what}: epoch {before} -> {after}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        long notice;
        do notice = await _notices.Reader.ReadAsync(timeout.Token); while (notice < after);
        Assert.Equal(after, notice);
    }

    /// <summary>Runs a write that must be refused with <paramref name="status"/>; asserts no epoch change and no notice.</summary>
    private async Task AssertSilentAsync(string what, HttpStatusCode status, Func<Task<HttpResponseMessage>> write)
    {
        while (_notices.Reader.TryRead(out _)) { }
        long before = await EpochAsync();
        using var response = await write();
        Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode}");
        Assert.Equal(before, await EpochAsync());
        // A notice would follow the commit within milliseconds; give it ample time to show up.
        await Task.Delay(300);
        Assert.False(_notices.Reader.TryRead(out long notice), $"{what} published {notice}");
    }

    [Fact]
    public async Task Every_committed_write_increments_the_epoch_and_publishes_it()
    {
        string domain = AppLayerFixture.NewDomain();
        await AssertPublishesAsync("create domain", () => Http.PostAsJsonAsync("/v1/domains", new { name = domain }));
        await AssertPublishesAsync("update domain", () => Http.PutAsJsonAsync($"/v1/domains/{domain}", new { description = "d" }));
        await AssertPublishesAsync("create user", () => Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1001", password = "password123" }));
        await AssertPublishesAsync("create user", () => Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1002", password = "password123" }));
        await AssertPublishesAsync("change password", () => Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { password = "password456" }));
        await AssertPublishesAsync("put rule", () => Http.PutAsJsonAsync($"/v1/domains/{domain}/users/1001/rule", new { mode = "Forward", forwardTo = "1002" }));
        await AssertPublishesAsync("delete rule", () => Http.DeleteAsync($"/v1/domains/{domain}/users/1001/rule"));
        await AssertPublishesAsync("create number", () => Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1001" }));
        await AssertPublishesAsync("replace number", () => Http.PutAsJsonAsync($"/v1/domains/{domain}/numbers/5551000", new { user = "1002" }));
        await AssertPublishesAsync("delete number", () => Http.DeleteAsync($"/v1/domains/{domain}/numbers/5551000"));
        await AssertPublishesAsync("put IVR menu", () => Http.PutAsJsonAsync($"/v1/domains/{domain}/ivr-menus/main",
            new { prompt = "p", choices = new Dictionary<string, string> { ["1"] = "1001" } }));
        await AssertPublishesAsync("delete IVR menu", () => Http.DeleteAsync($"/v1/domains/{domain}/ivr-menus/main"));
        await AssertPublishesAsync("delete user", () => Http.DeleteAsync($"/v1/domains/{domain}/users/1001"));
        await AssertPublishesAsync("delete user", () => Http.DeleteAsync($"/v1/domains/{domain}/users/1002"));
        await AssertPublishesAsync("delete domain", () => Http.DeleteAsync($"/v1/domains/{domain}"));
    }

    [Fact]
    public async Task A_refused_write_neither_increments_nor_publishes()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");

        await AssertSilentAsync("duplicate user", HttpStatusCode.Conflict,
            () => Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1001", password = "password123" }));
        await AssertSilentAsync("rule of a missing user", HttpStatusCode.NotFound,
            () => Http.PutAsJsonAsync($"/v1/domains/{domain}/users/1009/rule", new { mode = "DoNotDisturb" }));
        await AssertSilentAsync("number to a missing user", HttpStatusCode.BadRequest,
            () => Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1009" }));
        await AssertSilentAsync("password of a missing user", HttpStatusCode.NotFound,
            () => Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1009", new { password = "password456" }));
        await AssertSilentAsync("delete of a missing IVR menu", HttpStatusCode.NotFound,
            () => Http.DeleteAsync($"/v1/domains/{domain}/ivr-menus/none"));
        await AssertSilentAsync("duplicate domain", HttpStatusCode.Conflict,
            () => Http.PostAsJsonAsync("/v1/domains", new { name = domain }));
    }
}
