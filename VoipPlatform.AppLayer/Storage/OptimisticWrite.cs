using StackExchange.Redis;

namespace VoipPlatform.AppLayer.Storage;

/// <summary>
/// The one write pattern every store uses: read the state, decide, then commit a MULTI/EXEC whose conditions (WATCH)
/// assert that the state read is still the state. If another writer got in between, EXEC does nothing and the attempt
/// runs again from a fresh read, so a write is never half-applied and never applied on stale assumptions.
/// </summary>
public static class OptimisticWrite
{
    /// <summary>Attempts before reporting a conflict; contention on one user or number is rare, so a few suffice.</summary>
    private const int MaxAttempts = 5;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it returns an outcome. An attempt returns null when its transaction did
    /// not commit because a condition failed (someone else wrote in between).
    /// </summary>
    public static async Task<WriteOutcome> RunAsync(Func<Task<WriteOutcome?>> attempt)
    {
        for (int i = 0; i < MaxAttempts; i++)
        {
            if (await attempt() is { } outcome) return outcome;
        }
        return WriteOutcome.Conflict("The resource was modified concurrently; retry the request.");
    }

    /// <summary>
    /// Executes <paramref name="transaction"/> through <see cref="DirectoryEpoch.CommitAsync"/> (so the routers learn of
    /// the change); <see cref="WriteOutcome.Ok"/> when it committed, null when a condition failed.
    /// </summary>
    public static async Task<WriteOutcome?> CommitAsync(ITransaction transaction) =>
        await DirectoryEpoch.CommitAsync(transaction) ? WriteOutcome.Ok : null;

    /// <summary>Condition that a hash field still has the value read (or is still absent when it was absent).</summary>
    public static Condition FieldUnchanged(RedisKey key, string field, RedisValue valueRead) =>
        valueRead.IsNull ? Condition.HashNotExists(key, field) : Condition.HashEqual(key, field, valueRead);
}
