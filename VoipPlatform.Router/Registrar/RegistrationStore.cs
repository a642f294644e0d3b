using System.Security.Cryptography;
using System.Text;
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
    /// <summary>
    /// One REGISTER in one round trip, atomically: the contact limit is checked against the live bindings and the
    /// change applied in the same step, so two replicas registering contacts of one user at once can neither undo
    /// each other nor together pass the limit. Lapsed bindings are dropped on the way.
    /// KEYS[1] the address of record; ARGV: now, removeAll (0/1), max contacts, TTL seconds, removal count n,
    /// n Contact URIs to remove, then Contact URI / binding JSON pairs to write.
    /// Returns -1 when the limit would be passed (nothing written), else the live field/value pairs.
    /// </summary>
    private const string ApplyScript = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local removeAll = ARGV[2] == '1'
        local maxContacts = tonumber(ARGV[3])
        local ttl = tonumber(ARGV[4])
        local removalCount = tonumber(ARGV[5])
        local live, drop = {}, {}
        if not removeAll then
          local entries = redis.call('HGETALL', key)
          for i = 1, #entries, 2 do
            if cjson.decode(entries[i + 1]).expiresAt > now then live[entries[i]] = entries[i + 1]
            else drop[#drop + 1] = entries[i] end
          end
        end
        for i = 6, 5 + removalCount do
          if live[ARGV[i]] then live[ARGV[i]] = nil; drop[#drop + 1] = ARGV[i] end
        end
        local writes = {}
        for i = 6 + removalCount, #ARGV, 2 do
          live[ARGV[i]] = ARGV[i + 1]
          writes[#writes + 1] = ARGV[i]; writes[#writes + 1] = ARGV[i + 1]
        end
        local result, count = {}, 0
        for contact, binding in pairs(live) do
          count = count + 1
          result[#result + 1] = contact; result[#result + 1] = binding
        end
        if count > maxContacts then return -1 end
        if removeAll then redis.call('DEL', key) end
        if #drop > 0 then redis.call('HDEL', key, unpack(drop)) end
        if #writes > 0 then
          redis.call('HSET', key, unpack(writes))
          -- The key lives as long as its longest binding: a TTL on a new key, lengthened on an old one.
          redis.call('EXPIRE', key, ttl, 'NX')
          redis.call('EXPIRE', key, ttl, 'GT')
        end
        return result
        """;

    private static readonly byte[] ApplyScriptHash = SHA1.HashData(Encoding.UTF8.GetBytes(ApplyScript));

    private static RedisKey Key(string user, string domain) => $"vp:reg:{domain.ToLowerInvariant()}:{user}";

    /// <summary>The live bindings of user@domain.</summary>
    public async Task<IReadOnlyList<Binding>> GetAsync(string user, string domain)
    {
        HashEntry[] entries = await redis.GetDatabase().HashGetAllAsync(Key(user, domain));
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        return ByContact(entries.Select(e => Parse(e.Value)).Where(b => b.ExpiresAt > now).ToArray());
    }

    /// <summary>
    /// Applies one REGISTER atomically, in one round trip: <paramref name="upserts"/> written, <paramref name="removals"/>
    /// (Contact URIs) deleted, or everything first with <paramref name="removeAll"/>. Written field by field, so two
    /// replicas handling REGISTERs of the same user at once cannot undo each other.
    /// </summary>
    /// <returns>The live bindings, or null (and nothing changed) when more than <paramref name="maxContacts"/> would be left.</returns>
    public async Task<IReadOnlyList<Binding>?> ApplyAsync(string user, string domain, IReadOnlyList<Binding> upserts, IReadOnlyList<string> removals,
        bool removeAll, int maxContacts)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        long ttl = upserts.Count > 0 ? upserts.Max(b => b.ExpiresAt) - now + 1 : 0;
        var arguments = new RedisValue[5 + removals.Count + 2 * upserts.Count];
        arguments[0] = now;
        arguments[1] = removeAll ? 1 : 0;
        arguments[2] = maxContacts;
        arguments[3] = ttl;
        arguments[4] = removals.Count;
        int next = 5;
        foreach (string removal in removals) arguments[next++] = removal;
        foreach (Binding binding in upserts)
        {
            arguments[next++] = binding.Contact;
            arguments[next++] = JsonSerializer.Serialize(binding, RegistrarJson.Default.Binding);
        }

        RedisResult result = await EvaluateAsync([Key(user, domain)], arguments);
        if (result.Resp2Type == ResultType.Integer) return null;
        var live = (RedisResult[])result!;
        var bindings = new Binding[live.Length / 2];
        for (int i = 0; i < bindings.Length; i++) bindings[i] = Parse((RedisValue)live[2 * i + 1]);
        return ByContact(bindings);
    }

    /// <summary>
    /// Runs the script by its SHA-1 (EVALSHA). Passed as text, the client looked its hash up by hashing the whole
    /// script on every call (1 % of the router's CPU under registrations). A Redis that lost its scripts (restarted,
    /// SCRIPT FLUSH) answers NOSCRIPT once; the text then goes along and is cached again.
    /// </summary>
    private async Task<RedisResult> EvaluateAsync(RedisKey[] keys, RedisValue[] arguments)
    {
        IDatabase database = redis.GetDatabase();
        try
        {
            return await database.ScriptEvaluateAsync(ApplyScriptHash, keys, arguments);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(ApplyScript, keys, arguments);
        }
    }

    /// <summary>A stored binding, read straight from Redis' bytes.</summary>
    private static Binding Parse(RedisValue json) => JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)json).Span, RegistrarJson.Default.Binding)!;

    /// <summary>Bindings in a stable order (by Contact URI), as the 200 lists them.</summary>
    private static Binding[] ByContact(Binding[] bindings)
    {
        Array.Sort(bindings, static (a, b) => string.CompareOrdinal(a.Contact, b.Contact));
        return bindings;
    }
}
