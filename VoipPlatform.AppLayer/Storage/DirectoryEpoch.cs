using StackExchange.Redis;

namespace VoipPlatform.AppLayer.Storage;

/// <summary>
/// The one way a store commits a transaction: the routers cache the API's answers and drop them when the directory
/// changes, so every committed write must say so. The epoch increment rides in the write's own <c>MULTI</c>/<c>EXEC</c>
/// (a write is never visible without its increment, and a write that does not commit increments nothing); the
/// publish follows the commit, so a router that flushes on the message and asks again sees the new data.
/// </summary>
public static class DirectoryEpoch
{
    /// <summary>
    /// Executes <paramref name="transaction"/> with the epoch increment queued last; true when it committed, after
    /// the new epoch was published on <see cref="RedisKeys.DirectoryChanged"/>.
    /// </summary>
    /// <remarks>
    /// A failed publish throws (the caller sees 500) although the write committed: the write is then in Redis but the
    /// routers were not told, and the client learning that something went wrong is better than silence (a retried
    /// PUT publishes again; the routers' max age bounds the rest).
    /// </remarks>
    public static async Task<bool> CommitAsync(ITransaction transaction)
    {
        Task<long> epoch = transaction.StringIncrementAsync(RedisKeys.DirectoryEpoch);
        if (!await transaction.ExecuteAsync()) return false;
        await transaction.Multiplexer.GetSubscriber().PublishAsync(RedisKeys.DirectoryChanged, await epoch);
        return true;
    }
}
