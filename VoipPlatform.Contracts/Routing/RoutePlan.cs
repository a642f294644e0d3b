namespace VoipPlatform.Contracts.Routing;

/// <summary>
/// The API's answer to a <see cref="CallRouteRequest"/>: either a final status (<see cref="Status"/> set, no steps) or
/// steps the router tries in order. Within a step all targets ring in parallel; the first 2xx wins and the other
/// branches are cancelled.
/// </summary>
/// <param name="Steps">Serial steps; empty when the call is answered with <see cref="Status"/>.</param>
/// <param name="Status">Final SIP status to answer with instead of routing (e.g. 404 unknown callee, 403 disabled user).</param>
/// <param name="Reason">Reason phrase for <see cref="Status"/>; the standard one when null.</param>
public sealed record RoutePlan(IReadOnlyList<RouteStep> Steps, int? Status = null, string? Reason = null)
{
    /// <summary>A plan that answers the call with a final status.</summary>
    public static RoutePlan Reject(int status, string? reason = null) => new([], status, reason);
}

/// <summary>
/// One step of a <see cref="RoutePlan"/>: targets rung in parallel for at most <see cref="TimeoutSeconds"/>.
/// When the step fails with a status listed in <see cref="FailoverOn"/> (a timeout counts as 408, a user with no
/// registered device as 480) and a next step exists, the router goes on to it; otherwise the caller gets
/// <see cref="FinalStatus"/>, or the best response the step received when that is null.
/// </summary>
/// <param name="Targets">Where to ring, in parallel.</param>
/// <param name="TimeoutSeconds">How long the step may ring before its branches are cancelled.</param>
/// <param name="FailoverOn">Statuses that move on to the next step; <see cref="DefaultFailoverOn"/> when null.</param>
/// <param name="Headers">Headers added to every request this step sends.</param>
/// <param name="FinalStatus">Status answered when this step fails and no next step is taken.</param>
/// <param name="FinalReason">Reason phrase for <see cref="FinalStatus"/>.</param>
public sealed record RouteStep(
    IReadOnlyList<RouteTarget> Targets,
    int TimeoutSeconds = RouteStep.DefaultTimeoutSeconds,
    IReadOnlyList<int>? FailoverOn = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    int? FinalStatus = null,
    string? FinalReason = null)
{
    /// <summary>Ring time when a step does not say.</summary>
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>Busy, timeout, not available, and declined move on to the next step unless a step says otherwise.</summary>
    public static readonly IReadOnlyList<int> DefaultFailoverOn = [408, 480, 486, 603];
}
