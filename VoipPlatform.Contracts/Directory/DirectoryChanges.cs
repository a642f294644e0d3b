namespace VoipPlatform.Contracts.Directory;

/// <summary>
/// How the business-logic API tells routers that its directory (domains, users, rules, numbers, IVR menus) changed,
/// so a router may cache the API's answers and still never serve one the data no longer supports. The API increments
/// <see cref="EpochKey"/> inside the <c>MULTI</c>/<c>EXEC</c> of every committed write and then publishes the new value
/// on <see cref="Channel"/>; a router drops its cached answers on every message (docs/business-logic-api.md,
/// "Directory changes", and docs/architecture.md, "Decision cache").
/// </summary>
public static class DirectoryChanges
{
    /// <summary>Redis counter incremented, atomically with the change, by every committed directory write.</summary>
    public const string EpochKey = "vp:directory:epoch";

    /// <summary>Redis pub/sub channel on which the new epoch is published after each committed write.</summary>
    public const string Channel = "vp:directory:changed";
}
