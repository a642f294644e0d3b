namespace VoipPlatform.AppLayer.Validation;

/// <summary>
/// Collects field errors of one request, so a client learns about every bad field at once; turned into a
/// 400 <c>application/problem+json</c> whose <c>errors</c> object is keyed by the JSON field name.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
    }

    public IResult ToResult() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>One error, as a result.</summary>
    public static IResult Single(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.ToResult();
    }
}
