using VoipPlatform.AppLayer.Validation;
using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.AppLayer.Numbers;

/// <summary>Shape rules of a number body. Whether a target user exists is checked by the store, atomically with the write.</summary>
public static class NumberValidation
{
    public static ValidationErrors Validate(NumberRequest request, string? numberFromPath)
    {
        var errors = new ValidationErrors();
        if (numberFromPath is null)
        {
            if (!SipNames.IsValidNumber(request.Number)) errors.Add("number", "Required: 1 to 32 digits, optionally after a '+'.");
        }
        else if (request.Number is not null && request.Number != numberFromPath)
        {
            errors.Add("number", "Must be absent or equal to the number in the URL.");
        }

        switch (request.User, request.Application)
        {
            case (null, null):
                errors.Add("user", "Set either user or application.");
                break;
            case (not null, not null):
                errors.Add("application", "Set either user or application, not both.");
                break;
            case (not null, null):
                if (!SipNames.IsValidUser(request.User)) errors.Add("user", "Not a valid user part.");
                if (request.Parameters is { Count: > 0 }) errors.Add("parameters", "Only allowed with an application.");
                break;
            case (null, not null):
                ValidateApplication(request.Application, request.Parameters ?? [], errors);
                break;
        }
        return errors;
    }

    private static void ValidateApplication(string application, Dictionary<string, string> parameters, ValidationErrors errors)
    {
        if (ApplicationCatalog.Find(application) is not { } spec)
        {
            errors.Add("application", $"Unknown application; one of: {string.Join(", ", ApplicationNames.All.Order(StringComparer.Ordinal))}.");
            return;
        }
        foreach (string required in spec.Required.Where(r => !parameters.ContainsKey(r)))
        {
            errors.Add($"parameters.{required}", $"Required by {application}.");
        }
        foreach (var (name, value) in parameters)
        {
            string field = $"parameters.{name}";
            if (!spec.Required.Contains(name) && !spec.Optional.Contains(name))
            {
                errors.Add(field, $"Not a parameter of {application}; allowed: {string.Join(", ", spec.Required.Concat(spec.Optional))}.");
            }
            else if (name == ApplicationParameters.Pin ? !ApplicationCatalog.PinPattern().IsMatch(value ?? "") : !ApplicationCatalog.ValuePattern().IsMatch(value ?? ""))
            {
                errors.Add(field, name == ApplicationParameters.Pin ? "1 to 16 digits." : "1 to 64 of letters, digits, '.', '_', '+', '-'.");
            }
            else if (name == ApplicationParameters.MaxMembers && !(int.TryParse(value, out int max) && max is > 0 and <= ApplicationCatalog.MaxMembersLimit))
            {
                errors.Add(field, $"An integer from 1 to {ApplicationCatalog.MaxMembersLimit}.");
            }
            else if (name == ApplicationParameters.Language && !SipNames.IsValidLanguage(value))
            {
                errors.Add(field, "A language tag such as 'en'.");
            }
        }
    }
}
