using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.Router.Registrar;

/// <summary>The registrar's bindings in a real Redis: one REGISTER is one atomic step (limit check and change together).</summary>
public sealed class RegistrationStoreTests : IAsyncLifetime
{
    private const string User = "1001", Domain = "store.vp.test";
    private static readonly RedisKey Key = $"vp:reg:{Domain}:{User}";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _client = null!;
    private RegistrationStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _client = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _store = new RegistrationStore(_client, _time);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private Binding For(string contact, long seconds) => new(contact, ["sip:edge.vp.test;lr"], Now + seconds, "reg-1", 1);

    [Fact]
    public async Task Applied_bindings_come_back_sorted_and_the_key_lives_as_long_as_the_longest()
    {
        IReadOnlyList<Binding>? live = await _store.ApplyAsync(User, Domain, [For("sip:b@10.0.0.2", 600), For("sip:a@10.0.0.1", 3600)], [],
            removeAll: false, maxContacts: 10);

        Assert.NotNull(live);
        Assert.Equal(["sip:a@10.0.0.1", "sip:b@10.0.0.2"], live.Select(b => b.Contact));
        Assert.Equal(["sip:edge.vp.test;lr"], live[0].Path);
        TimeSpan? ttl = await _client.GetDatabase().KeyTimeToLiveAsync(Key);
        Assert.InRange(ttl!.Value.TotalSeconds, 3590, 3601);
        Assert.Equal(live.Select(b => (b.Contact, b.ExpiresAt)), (await _store.GetAsync(User, Domain)).Select(b => (b.Contact, b.ExpiresAt)));
    }

    [Fact]
    public async Task A_redis_that_lost_its_scripts_still_applies_registers()
    {
        Assert.NotNull(await _store.ApplyAsync(User, Domain, [For("sip:a@10.0.0.1", 600)], [], removeAll: false, maxContacts: 10));
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].ScriptFlushAsync(); // as after a Redis restart
        }

        IReadOnlyList<Binding>? live = await _store.ApplyAsync(User, Domain, [For("sip:b@10.0.0.2", 600)], [], removeAll: false, maxContacts: 10);

        Assert.NotNull(live);
        Assert.Equal(["sip:a@10.0.0.1", "sip:b@10.0.0.2"], live.Select(b => b.Contact));
    }

    [Fact]
    public async Task A_change_that_would_pass_the_contact_limit_writes_nothing()
    {
        await _store.ApplyAsync(User, Domain, [For("sip:a@10.0.0.1", 600), For("sip:b@10.0.0.2", 600)], [], removeAll: false, maxContacts: 2);

        IReadOnlyList<Binding>? refused = await _store.ApplyAsync(User, Domain, [For("sip:c@10.0.0.3", 600)], [], removeAll: false, maxContacts: 2);
        // Replacing one contact by another keeps two: allowed.
        IReadOnlyList<Binding>? swapped = await _store.ApplyAsync(User, Domain, [For("sip:c@10.0.0.3", 600)], ["sip:a@10.0.0.1"], removeAll: false,
            maxContacts: 2);

        Assert.Null(refused);
        Assert.Equal(["sip:b@10.0.0.2", "sip:c@10.0.0.3"], swapped!.Select(b => b.Contact));
        Assert.Equal(2, await _client.GetDatabase().HashLengthAsync(Key));
    }

    [Fact]
    public async Task Lapsed_bindings_neither_count_against_the_limit_nor_stay_stored()
    {
        await _store.ApplyAsync(User, Domain, [For("sip:old@10.0.0.9", 60)], [], removeAll: false, maxContacts: 1);
        _time.Advance(TimeSpan.FromSeconds(61));

        IReadOnlyList<Binding>? live = await _store.ApplyAsync(User, Domain, [For("sip:new@10.0.0.1", 600)], [], removeAll: false, maxContacts: 1);

        Assert.Equal(["sip:new@10.0.0.1"], live!.Select(b => b.Contact));
        Assert.Equal(["sip:new@10.0.0.1"], (await _client.GetDatabase().HashKeysAsync(Key)).Select(k => k.ToString()));
    }

    [Fact]
    public async Task Concurrent_registers_of_one_user_never_pass_the_limit_together()
    {
        // Twenty devices of one user register at once, through any replica: exactly the limit's worth get in.
        Task<IReadOnlyList<Binding>?>[] registers = Enumerable.Range(1, 20)
            .Select(i => Task.Run(() => _store.ApplyAsync(User, Domain, [For($"sip:d{i}@10.0.0.{i}", 600)], [], removeAll: false, maxContacts: 5)))
            .ToArray();
        IReadOnlyList<Binding>?[] outcomes = await Task.WhenAll(registers);

        Assert.Equal(5, outcomes.Count(o => o is not null));
        Assert.Equal(5, await _client.GetDatabase().HashLengthAsync(Key));
    }

    [Fact]
    public async Task Removing_everything_deletes_the_address_of_record()
    {
        await _store.ApplyAsync(User, Domain, [For("sip:a@10.0.0.1", 600)], [], removeAll: false, maxContacts: 10);

        IReadOnlyList<Binding>? live = await _store.ApplyAsync(User, Domain, [], [], removeAll: true, maxContacts: 10);

        Assert.Empty(live!);
        Assert.False(await _client.GetDatabase().KeyExistsAsync(Key));
    }
}
