using StackExchange.Redis;
using VoipPlatform.AppLayer.Rules;
using VoipPlatform.AppLayer.Storage;

namespace VoipPlatform.AppLayer.Users;

/// <summary>
/// Users in Redis: hash <c>vp:user:{d}:{u}</c> (HA1 included), membership of <c>vp:domain:{d}:users</c>, and the
/// referrer set <c>vp:user:{d}:{u}:refs</c> that numbers and forwards pointing at the user maintain.
/// </summary>
public sealed class UserStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<StoredUser?> GetAsync(string domain, string user)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.User(domain, user));
        return entries.Length == 0 ? null : FromHash(domain, entries.ToDictionary());
    }

    /// <summary>The users of a domain, or null when the domain is not served.</summary>
    public async Task<IReadOnlyList<StoredUser>?> ListAsync(string domain)
    {
        if (!await Db.KeyExistsAsync(RedisKeys.Domain(domain))) return null;
        var names = await Db.SetMembersAsync(RedisKeys.DomainUsers(domain));
        var users = await Task.WhenAll(names.Select(n => GetAsync(domain, n.ToString())));
        return [.. users.OfType<StoredUser>().OrderBy(u => u.User, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Creates a user in a served domain. The user part shares one dial plan with the domain's numbers, so it may not
    /// equal an existing number (otherwise a call to it would be ambiguous).
    /// </summary>
    public Task<WriteOutcome> CreateAsync(StoredUser user) => OptimisticWrite.RunAsync(async () =>
    {
        var domainKey = RedisKeys.Domain(user.Domain);
        var userKey = RedisKeys.User(user.Domain, user.User);
        var numberKey = RedisKeys.Number(user.Domain, user.User);
        if (!await Db.KeyExistsAsync(domainKey)) return WriteOutcome.DomainNotServed(user.Domain);
        if (await Db.KeyExistsAsync(userKey)) return WriteOutcome.Conflict($"User {user.User}@{user.Domain} already exists.");
        if (await Db.KeyExistsAsync(numberKey)) return WriteOutcome.Conflict($"{user.User} is already a number of {user.Domain}.");

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(domainKey));
        transaction.AddCondition(Condition.KeyNotExists(userKey));
        transaction.AddCondition(Condition.KeyNotExists(numberKey));
        _ = transaction.HashSetAsync(userKey, ToHash(user));
        _ = transaction.SetAddAsync(RedisKeys.DomainUsers(user.Domain), user.User);
        return await OptimisticWrite.CommitAsync(transaction);
    });

    /// <summary>
    /// Writes the given fields of an existing user in one HSET (a new password's two HA1s always together).
    /// Only the changed fields are written, so concurrent updates of different fields both survive.
    /// </summary>
    public async Task<WriteOutcome> UpdateAsync(string domain, string user, IReadOnlyList<HashEntry> changes)
    {
        var userKey = RedisKeys.User(domain, user);
        var transaction = Db.CreateTransaction();
        // Without this condition an update racing a delete would resurrect a half user (no HA1, not in the domain set).
        transaction.AddCondition(Condition.KeyExists(userKey));
        if (changes.Count > 0) _ = transaction.HashSetAsync(userKey, [.. changes]);
        return await DirectoryEpoch.CommitAsync(transaction) ? WriteOutcome.Ok : WriteOutcome.NotFound($"User {user}@{domain} does not exist.");
    }

    /// <summary>
    /// Deletes a user and its rule. Refused (409) while numbers or other users' forwards point at it: the caller
    /// must repoint or delete those first, so no number is ever left mapping to a missing user.
    /// </summary>
    public Task<WriteOutcome> DeleteAsync(string domain, string user) => OptimisticWrite.RunAsync(async () =>
    {
        var userKey = RedisKeys.User(domain, user);
        var refsKey = RedisKeys.UserReferrers(domain, user);
        var ruleKey = RedisKeys.Rule(domain, user);
        if (!await Db.KeyExistsAsync(userKey)) return WriteOutcome.NotFound($"User {user}@{domain} does not exist.");
        var referrers = await Db.SetMembersAsync(refsKey);
        if (referrers.Length > 0)
        {
            string list = string.Join(", ", referrers.Select(r => r.ToString()).Order(StringComparer.Ordinal));
            return WriteOutcome.Conflict($"User {user}@{domain} is still referenced by {list}; repoint or delete those first.");
        }
        var forwardTo = await Db.HashGetAsync(ruleKey, RuleFields.ForwardTo);

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(userKey));
        transaction.AddCondition(Condition.SetLengthEqual(refsKey, 0));
        transaction.AddCondition(OptimisticWrite.FieldUnchanged(ruleKey, RuleFields.ForwardTo, forwardTo));
        _ = transaction.KeyDeleteAsync([userKey, ruleKey, refsKey]);
        _ = transaction.SetRemoveAsync(RedisKeys.DomainUsers(domain), user);
        if (ForwardTarget.InternalUser(forwardTo) is { } target)
        {
            _ = transaction.SetRemoveAsync(RedisKeys.UserReferrers(domain, target), RedisKeys.ForwardReferrer(user));
        }
        return await OptimisticWrite.CommitAsync(transaction);
    });

    public static HashEntry[] ToHash(StoredUser user) =>
    [
        new(UserFields.User, user.User),
        new(UserFields.DisplayName, user.DisplayName),
        new(UserFields.Enabled, user.Enabled),
        new(UserFields.Ha1Md5, user.Ha1Md5),
        new(UserFields.Ha1Sha256, user.Ha1Sha256),
        new(UserFields.NoAnswerSeconds, user.NoAnswerSeconds),
        new(UserFields.VoicemailEnabled, user.VoicemailEnabled),
        new(UserFields.Language, user.Language),
    ];

    private static StoredUser FromHash(string domain, Dictionary<RedisValue, RedisValue> hash) => new(
        hash[UserFields.User].ToString(),
        domain,
        hash[UserFields.DisplayName].ToString(),
        (bool)hash[UserFields.Enabled],
        hash[UserFields.Ha1Md5].ToString(),
        hash[UserFields.Ha1Sha256].ToString(),
        (int)hash[UserFields.NoAnswerSeconds],
        (bool)hash[UserFields.VoicemailEnabled],
        hash[UserFields.Language].ToString());
}
