namespace VoipPlatform.AppLayer.Storage;

/// <summary>How a store write ended; endpoints turn it into an HTTP result (see <c>ApiProblems.From</c>).</summary>
public enum WriteStatus
{
    /// <summary>Committed.</summary>
    Ok,
    /// <summary>The resource addressed by the URL does not exist.</summary>
    NotFound,
    /// <summary>The write contradicts the current state (duplicate, still referenced, lost a race too often).</summary>
    Conflict,
    /// <summary>The body references something that does not exist (a field is wrong, not the URL).</summary>
    Invalid,
}

/// <summary>Result of a store write. <see cref="Field"/> names the offending body field for <see cref="WriteStatus.Invalid"/>.</summary>
public sealed record WriteOutcome(WriteStatus Status, string? Detail = null, string? Field = null)
{
    public static readonly WriteOutcome Ok = new(WriteStatus.Ok);

    public bool Succeeded => Status == WriteStatus.Ok;

    public static WriteOutcome NotFound(string detail) => new(WriteStatus.NotFound, detail);

    /// <summary>The one wording of "no such domain", for stores and endpoints alike.</summary>
    public static string DomainNotServedDetail(string domain) => $"Domain {domain} is not served.";

    public static WriteOutcome DomainNotServed(string domain) => NotFound(DomainNotServedDetail(domain));

    public static WriteOutcome Conflict(string detail) => new(WriteStatus.Conflict, detail);

    public static WriteOutcome Invalid(string field, string detail) => new(WriteStatus.Invalid, detail, field);
}
