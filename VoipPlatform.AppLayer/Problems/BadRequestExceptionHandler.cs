using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace VoipPlatform.AppLayer.Problems;

/// <summary>
/// Turns a body the framework could not bind (malformed JSON, a string where a number belongs, an unknown enum
/// value, no body at all) into the same 400 problem+json as our own validation, naming the field from the JSON path
/// where there is one. Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>, otherwise binding failures are a bare 400.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    private const string BodyField = "body";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest) return false;

        string field = badRequest.InnerException is JsonException { Path: { Length: > 0 } path } ? FieldName(path) : BodyField;
        // The framework's messages name internal types and byte offsets; a client needs the field and what is wrong.
        string message = badRequest.InnerException is JsonException
            ? field == BodyField ? "The body is not valid JSON for this request." : "Wrong JSON type or unknown value for this field."
            : badRequest.Message;
        var result = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary><c>$.parameters.room</c> → <c>parameters.room</c>; <c>$</c> (the whole body) → <c>body</c>.</summary>
    private static string FieldName(string jsonPath)
    {
        string trimmed = jsonPath.TrimStart('$').TrimStart('.');
        return trimmed.Length == 0 ? BodyField : trimmed;
    }
}
