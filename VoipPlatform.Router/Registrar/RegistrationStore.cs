using System.Text.Json;
using StackExchange.Redis;

namespace VoipPlatform.Router.Registrar;

/// <summary>
/// Bindings in Redis, so every router replica sees every registration and a restart loses none. One hash per
/// address of record, <c>vp:reg:{domain}:{user}</c>, field = Contact URI, value = the <see cref="Binding"/> as JSON.
/// Each binding carries its own expiry (read filters lapsed ones); the key expires with its last binding.
/// </summary>
public sealed class RegistrationStore(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static RedisKey Key(string user, string domain) => $"vp:reg:{domain.ToLowerInvariant()}:{user}";

    /// <summary>The live bindings of user@domain.</summary>
    public async Task<IReadOnlyList<Binding>> GetAsync(string user, string domain)
    {
        HashEntry[] entries = await redis.GetDatabase().HashGetAllAsync(Key(user, domain));
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        return entries.Select(e => JsonSerializer.Deserialize<Binding>(e.Value.ToString(), Json)!)
            .Where(b => b.ExpiresAt > now)
            .OrderBy(b => b.Contact, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Applies one REGISTER atomically: <paramref name="upserts"/> written, <paramref name="removals"/> (Contact URIs)
    /// deleted, or everything with <paramref name="removeAll"/>. Written field by field, without reading first, so two
    /// replicas handling REGISTERs of the same user at once cannot undo each other. Returns the live bindings.
    /// </summary>
    public async Task<IReadOnlyList<Binding>> ApplyAsync(string user, string domain, IReadOnlyList<Binding> upserts, IReadOnlyList<string> removals, bool removeAll)
    {
        IDatabase db = redis.GetDatabase();
        RedisKey key = Key(user, domain);
        long now = time.GetUtcNow().ToUnixTimeSeconds();

        ITransaction transaction = db.CreateTransaction();
        if (removeAll) _ = transaction.KeyDeleteAsync(key);
        if (removals.Count > 0) _ = transaction.HashDeleteAsync(key, removals.Select(r => (RedisValue)r).ToArray());
        if (upserts.Count > 0)
        {
            _ = transaction.HashSetAsync(key, upserts.Select(b => new HashEntry(b.Contact, JsonSerializer.Serialize(b, Json))).ToArray());
            // The key lives as long as its longest binding: set a TTL on a new key, lengthen it on an old one.
            var ttl = TimeSpan.FromSeconds(upserts.Max(b => b.ExpiresAt) - now + 1);
            _ = transaction.KeyExpireAsync(key, ttl, ExpireWhen.HasNoExpiry);
            _ = transaction.KeyExpireAsync(key, ttl, ExpireWhen.GreaterThanCurrentExpiry);
        }
        await transaction.ExecuteAsync();

        HashEntry[] entries = await db.HashGetAllAsync(key);
        var live = new List<Binding>();
        var lapsed = new List<RedisValue>();
        foreach (HashEntry entry in entries)
        {
            Binding binding = JsonSerializer.Deserialize<Binding>(entry.Value.ToString(), Json)!;
            if (binding.ExpiresAt > now) live.Add(binding);
            else lapsed.Add(entry.Name);
        }
        if (lapsed.Count > 0) await db.HashDeleteAsync(key, lapsed.ToArray());
        return live.OrderBy(b => b.Contact, StringComparer.Ordinal).ToArray();
    }
}
