using System.Text.Json;
using StackExchange.Redis;
using VoipPlatform.AppLayer.Storage;

namespace VoipPlatform.AppLayer.Ivr;

/// <summary>IVR menus in Redis: hash <c>vp:ivr:{d}:{menu}</c>. Targets are dialled at call time, like any number.</summary>
public sealed class IvrMenuStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<IvrMenu?> GetAsync(string domain, string menu)
    {
        var values = await Db.HashGetAsync(RedisKeys.IvrMenu(domain, menu), [IvrMenuFields.Prompt, IvrMenuFields.TimeoutSeconds, IvrMenuFields.Choices]);
        if (values[0].IsNull) return null;
        var choices = JsonSerializer.Deserialize<Dictionary<string, string>>(values[2].ToString()) ?? [];
        return new IvrMenu(menu, domain, values[0].ToString(), (int)values[1], choices);
    }

    /// <summary>Creates or replaces a menu of a served domain.</summary>
    public async Task<WriteOutcome> PutAsync(IvrMenu menu)
    {
        var domainKey = RedisKeys.Domain(menu.Domain);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(domainKey));
        _ = transaction.HashSetAsync(RedisKeys.IvrMenu(menu.Domain, menu.Menu),
        [
            new(IvrMenuFields.Prompt, menu.Prompt),
            new(IvrMenuFields.TimeoutSeconds, menu.TimeoutSeconds),
            new(IvrMenuFields.Choices, JsonSerializer.Serialize(menu.Choices)),
        ]);
        return await DirectoryEpoch.CommitAsync(transaction) ? WriteOutcome.Ok : WriteOutcome.DomainNotServed(menu.Domain);
    }

    /// <returns>False when there was no such menu.</returns>
    public Task<bool> DeleteAsync(string domain, string menu)
    {
        // A transaction rather than a plain DEL only so that a delete that removes something (and only such a one)
        // increments the directory epoch with it.
        var key = RedisKeys.IvrMenu(domain, menu);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(key));
        _ = transaction.KeyDeleteAsync(key);
        return DirectoryEpoch.CommitAsync(transaction);
    }
}
