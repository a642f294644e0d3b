using StackExchange.Redis;
using VoipPlatform.AppLayer.Storage;

namespace VoipPlatform.AppLayer.Domains;

/// <summary>Domains in Redis: hash <c>vp:domain:{d}</c> plus membership of the set <c>vp:domains</c>.</summary>
public sealed class DomainStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Whether the platform serves <paramref name="domain"/> (already normalised).</summary>
    public Task<bool> ExistsAsync(string domain) => Db.KeyExistsAsync(RedisKeys.Domain(domain));

    public async Task<DomainResponse?> GetAsync(string domain)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.Domain(domain));
        return entries.Length == 0 ? null : FromHash(entries.ToDictionary());
    }

    public async Task<IReadOnlyList<DomainResponse>> ListAsync()
    {
        var names = await Db.SetMembersAsync(RedisKeys.Domains);
        var domains = await Task.WhenAll(names.Select(n => GetAsync(n.ToString())));
        return [.. domains.OfType<DomainResponse>().OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    /// <summary>Creates the domain; conflict when it exists.</summary>
    public async Task<WriteOutcome> CreateAsync(DomainResponse domain)
    {
        var key = RedisKeys.Domain(domain.Name);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(key));
        _ = transaction.HashSetAsync(key, ToHash(domain));
        _ = transaction.SetAddAsync(RedisKeys.Domains, domain.Name);
        // A single condition: when it fails the domain exists, there is nothing to retry.
        return await DirectoryEpoch.CommitAsync(transaction) ? WriteOutcome.Ok : WriteOutcome.Conflict($"Domain {domain.Name} already exists.");
    }

    /// <summary>Sets or clears the description of an existing domain.</summary>
    public async Task<WriteOutcome> UpdateAsync(string domain, string? description)
    {
        var key = RedisKeys.Domain(domain);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(key));
        _ = description is null
            ? transaction.HashDeleteAsync(key, DomainFields.Description)
            : transaction.HashSetAsync(key, DomainFields.Description, description);
        return await DirectoryEpoch.CommitAsync(transaction) ? WriteOutcome.Ok : WriteOutcome.DomainNotServed(domain);
    }

    /// <summary>Deletes a domain that has no users and no numbers left (409 otherwise: no cascade over a whole realm).</summary>
    public Task<WriteOutcome> DeleteAsync(string domain) => OptimisticWrite.RunAsync(async () =>
    {
        var key = RedisKeys.Domain(domain);
        var usersKey = RedisKeys.DomainUsers(domain);
        var numbersKey = RedisKeys.DomainNumbers(domain);
        if (!await Db.KeyExistsAsync(key)) return WriteOutcome.DomainNotServed(domain);
        long users = await Db.SetLengthAsync(usersKey);
        long numbers = await Db.SetLengthAsync(numbersKey);
        if (users > 0 || numbers > 0)
        {
            return WriteOutcome.Conflict($"Domain {domain} still has {users} user(s) and {numbers} number(s); delete them first.");
        }

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(key));
        transaction.AddCondition(Condition.SetLengthEqual(usersKey, 0));
        transaction.AddCondition(Condition.SetLengthEqual(numbersKey, 0));
        _ = transaction.KeyDeleteAsync(key);
        _ = transaction.SetRemoveAsync(RedisKeys.Domains, domain);
        return await OptimisticWrite.CommitAsync(transaction);
    });

    private static HashEntry[] ToHash(DomainResponse domain) =>
    [
        new(DomainFields.Name, domain.Name),
        .. domain.Description is null ? Array.Empty<HashEntry>() : [new HashEntry(DomainFields.Description, domain.Description)],
        new(DomainFields.CreatedAt, domain.CreatedAt.ToUnixTimeMilliseconds()),
    ];

    private static DomainResponse FromHash(Dictionary<RedisValue, RedisValue> hash) => new(
        hash[DomainFields.Name].ToString(),
        hash.TryGetValue(DomainFields.Description, out var description) ? description.ToString() : null,
        DateTimeOffset.FromUnixTimeMilliseconds((long)hash[DomainFields.CreatedAt]));
}
