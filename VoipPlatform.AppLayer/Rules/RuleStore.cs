using StackExchange.Redis;
using VoipPlatform.AppLayer.Storage;

namespace VoipPlatform.AppLayer.Rules;

/// <summary>
/// Call rules in Redis: hash <c>vp:rule:{d}:{u}</c>. A forward to a user of the domain is also recorded in that
/// user's referrer set, in the same transaction, so the target cannot be deleted while the forward exists.
/// </summary>
public sealed class RuleStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>The stored rule, or the default rule when none is stored. Does not check that the user exists.</summary>
    public async Task<CallRule> GetAsync(string domain, string user)
    {
        var values = await Db.HashGetAsync(RedisKeys.Rule(domain, user), [RuleFields.Mode, RuleFields.ForwardTo]);
        return values[0].IsNull || !Enum.TryParse(values[0].ToString(), out CallRuleMode mode)
            ? CallRule.DefaultFor(user, domain)
            : new CallRule(user, domain, mode, values[1].IsNull ? null : values[1].ToString());
    }

    /// <summary>
    /// Replaces the user's rule (<see cref="CallRuleMode.Default"/> removes it). 404 when the user does not exist;
    /// 400 naming <c>forwardTo</c> when it names a user of the domain that does not exist.
    /// </summary>
    public Task<WriteOutcome> PutAsync(CallRule rule) => OptimisticWrite.RunAsync(async () =>
    {
        var userKey = RedisKeys.User(rule.Domain, rule.User);
        var ruleKey = RedisKeys.Rule(rule.Domain, rule.User);
        if (!await Db.KeyExistsAsync(userKey)) return WriteOutcome.NotFound($"User {rule.User}@{rule.Domain} does not exist.");
        string? newTarget = ForwardTarget.InternalUser(rule.ForwardTo);
        var targetKey = newTarget is null ? default : RedisKeys.User(rule.Domain, newTarget);
        if (newTarget is not null && !await Db.KeyExistsAsync(targetKey))
        {
            return WriteOutcome.Invalid("forwardTo", $"User {newTarget}@{rule.Domain} does not exist.");
        }
        var oldForward = await Db.HashGetAsync(ruleKey, RuleFields.ForwardTo);

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(userKey));
        transaction.AddCondition(OptimisticWrite.FieldUnchanged(ruleKey, RuleFields.ForwardTo, oldForward));
        if (newTarget is not null) transaction.AddCondition(Condition.KeyExists(targetKey));

        _ = transaction.KeyDeleteAsync(ruleKey);
        if (ForwardTarget.InternalUser(oldForward) is { } oldTarget)
        {
            _ = transaction.SetRemoveAsync(RedisKeys.UserReferrers(rule.Domain, oldTarget), RedisKeys.ForwardReferrer(rule.User));
        }
        if (rule.Mode != CallRuleMode.Default)
        {
            _ = transaction.HashSetAsync(ruleKey,
            [
                new(RuleFields.Mode, rule.Mode.ToString()),
                .. rule.ForwardTo is null ? Array.Empty<HashEntry>() : [new HashEntry(RuleFields.ForwardTo, rule.ForwardTo)],
            ]);
        }
        if (newTarget is not null)
        {
            _ = transaction.SetAddAsync(RedisKeys.UserReferrers(rule.Domain, newTarget), RedisKeys.ForwardReferrer(rule.User));
        }
        return await OptimisticWrite.CommitAsync(transaction);
    });
}
