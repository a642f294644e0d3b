using System.Text.Json;
using StackExchange.Redis;
using VoipPlatform.AppLayer.Storage;

namespace VoipPlatform.AppLayer.Numbers;

/// <summary>
/// Numbers in Redis: hash <c>vp:number:{d}:{n}</c> and membership of <c>vp:domain:{d}:numbers</c>. A number that
/// leads to a user is recorded in the user's referrer set in the same transaction, and the transaction only commits
/// while that user exists: a number can never point at a missing user.
/// </summary>
public sealed class NumberStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<NumberResponse?> GetAsync(string domain, string number)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.Number(domain, number));
        return entries.Length == 0 ? null : FromHash(domain, entries.ToDictionary());
    }

    /// <summary>The numbers of a domain, or null when the domain is not served.</summary>
    public async Task<IReadOnlyList<NumberResponse>?> ListAsync(string domain)
    {
        if (!await Db.KeyExistsAsync(RedisKeys.Domain(domain))) return null;
        var names = await Db.SetMembersAsync(RedisKeys.DomainNumbers(domain));
        var numbers = await Task.WhenAll(names.Select(n => GetAsync(domain, n.ToString())));
        return [.. numbers.OfType<NumberResponse>().OrderBy(n => n.Number, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Creates a number. 404 when the domain is not served; 409 when the number, or a user of the same name, exists;
    /// 400 naming <c>user</c> when the target user does not exist.
    /// </summary>
    public Task<WriteOutcome> CreateAsync(NumberResponse number) => OptimisticWrite.RunAsync(async () =>
    {
        var domainKey = RedisKeys.Domain(number.Domain);
        var numberKey = RedisKeys.Number(number.Domain, number.Number);
        var sameNameUserKey = RedisKeys.User(number.Domain, number.Number);
        if (!await Db.KeyExistsAsync(domainKey)) return WriteOutcome.DomainNotServed(number.Domain);
        if (await Db.KeyExistsAsync(numberKey)) return WriteOutcome.Conflict($"Number {number.Number} of {number.Domain} already exists.");
        if (await Db.KeyExistsAsync(sameNameUserKey)) return WriteOutcome.Conflict($"{number.Number} is already a user of {number.Domain}.");
        if (await MissingTargetAsync(number) is { } missing) return missing;

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(domainKey));
        transaction.AddCondition(Condition.KeyNotExists(numberKey));
        transaction.AddCondition(Condition.KeyNotExists(sameNameUserKey));
        AddTarget(transaction, number);
        _ = transaction.SetAddAsync(RedisKeys.DomainNumbers(number.Domain), number.Number);
        return await OptimisticWrite.CommitAsync(transaction);
    });

    /// <summary>Replaces where an existing number leads. 404 when it does not exist; 400 naming <c>user</c> for a missing target.</summary>
    public Task<WriteOutcome> ReplaceAsync(NumberResponse number) => OptimisticWrite.RunAsync(async () =>
    {
        var numberKey = RedisKeys.Number(number.Domain, number.Number);
        if (!await Db.KeyExistsAsync(numberKey)) return WriteOutcome.NotFound($"Number {number.Number} of {number.Domain} does not exist.");
        if (await MissingTargetAsync(number) is { } missing) return missing;
        var oldUser = await Db.HashGetAsync(numberKey, NumberFields.User);

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(numberKey));
        transaction.AddCondition(OptimisticWrite.FieldUnchanged(numberKey, NumberFields.User, oldUser));
        RemoveTarget(transaction, number.Domain, number.Number, oldUser);
        AddTarget(transaction, number);
        return await OptimisticWrite.CommitAsync(transaction);
    });

    public Task<WriteOutcome> DeleteAsync(string domain, string number) => OptimisticWrite.RunAsync(async () =>
    {
        var numberKey = RedisKeys.Number(domain, number);
        if (!await Db.KeyExistsAsync(numberKey)) return WriteOutcome.NotFound($"Number {number} of {domain} does not exist.");
        var oldUser = await Db.HashGetAsync(numberKey, NumberFields.User);

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(numberKey));
        transaction.AddCondition(OptimisticWrite.FieldUnchanged(numberKey, NumberFields.User, oldUser));
        RemoveTarget(transaction, domain, number, oldUser);
        _ = transaction.SetRemoveAsync(RedisKeys.DomainNumbers(domain), number);
        return await OptimisticWrite.CommitAsync(transaction);
    });

    private async Task<WriteOutcome?> MissingTargetAsync(NumberResponse number) =>
        number.User is { } user && !await Db.KeyExistsAsync(RedisKeys.User(number.Domain, user))
            ? WriteOutcome.Invalid("user", $"User {user}@{number.Domain} does not exist.")
            : null;

    /// <summary>Writes the number's hash and, for a user target, the back reference guarded by the user's existence.</summary>
    private static void AddTarget(ITransaction transaction, NumberResponse number)
    {
        var numberKey = RedisKeys.Number(number.Domain, number.Number);
        if (number.User is { } user)
        {
            transaction.AddCondition(Condition.KeyExists(RedisKeys.User(number.Domain, user)));
            _ = transaction.SetAddAsync(RedisKeys.UserReferrers(number.Domain, user), RedisKeys.NumberReferrer(number.Number));
        }
        _ = transaction.HashSetAsync(numberKey, ToHash(number));
    }

    /// <summary>Deletes the number's hash and the back reference from the user it led to, if any.</summary>
    private static void RemoveTarget(ITransaction transaction, string domain, string number, RedisValue oldUser)
    {
        _ = transaction.KeyDeleteAsync(RedisKeys.Number(domain, number));
        if (!oldUser.IsNull)
        {
            _ = transaction.SetRemoveAsync(RedisKeys.UserReferrers(domain, oldUser.ToString()), RedisKeys.NumberReferrer(number));
        }
    }

    private static HashEntry[] ToHash(NumberResponse number)
    {
        var entries = new List<HashEntry> { new(NumberFields.Number, number.Number) };
        if (number.User is { } user) entries.Add(new(NumberFields.User, user));
        if (number.Application is { } application) entries.Add(new(NumberFields.Application, application));
        if (number.Parameters is { Count: > 0 } parameters) entries.Add(new(NumberFields.Parameters, JsonSerializer.Serialize(parameters)));
        return [.. entries];
    }

    private static NumberResponse FromHash(string domain, Dictionary<RedisValue, RedisValue> hash) => new(
        hash[NumberFields.Number].ToString(),
        domain,
        hash.TryGetValue(NumberFields.User, out var user) ? user.ToString() : null,
        hash.TryGetValue(NumberFields.Application, out var application) ? application.ToString() : null,
        hash.TryGetValue(NumberFields.Parameters, out var parameters)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(parameters.ToString())
            : application.IsNull ? null : new Dictionary<string, string>());
}
