using VoipPlatform.AppLayer.Storage;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Problems;

/// <summary>The API's error results, all <c>application/problem+json</c> (RFC 9457).</summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult DomainNotServed(string domain) => NotFound(WriteOutcome.DomainNotServedDetail(domain));

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>Maps a failed write to its problem; <paramref name="onOk"/> builds the success result.</summary>
    public static IResult From(WriteOutcome outcome, Func<IResult> onOk) => outcome.Status switch
    {
        WriteStatus.Ok => onOk(),
        WriteStatus.NotFound => NotFound(outcome.Detail ?? "Not found."),
        WriteStatus.Invalid => ValidationErrors.Single(outcome.Field ?? "", outcome.Detail ?? "Invalid."),
        _ => Conflict(outcome.Detail ?? "Conflict."),
    };
}
