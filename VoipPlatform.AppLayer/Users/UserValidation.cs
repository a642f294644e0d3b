using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Users;

/// <summary>Field rules shared by create and update; error keys are the JSON field names.</summary>
public static class UserValidation
{
    public static ValidationErrors ValidateCreate(CreateUserRequest request)
    {
        var errors = new ValidationErrors();
        if (!SipNames.IsValidUser(request.User))
        {
            errors.Add("user", "Required: 1 to 64 of letters, digits, '.', '_', '+', '-', starting with a letter or digit.");
        }
        if (request.Password is null) errors.Add("password", "Required.");
        ValidateSettings(request.DisplayName, request.Password, request.NoAnswerSeconds, request.Language, errors);
        return errors;
    }

    public static ValidationErrors ValidateUpdate(UpdateUserRequest request)
    {
        var errors = new ValidationErrors();
        ValidateSettings(request.DisplayName, request.Password, request.NoAnswerSeconds, request.Language, errors);
        return errors;
    }

    private static void ValidateSettings(string? displayName, string? password, int? noAnswerSeconds, string? language, ValidationErrors errors)
    {
        // A display name ends up in SIP headers: no control characters, no quotes that would end a quoted string.
        if (displayName is not null
            && (displayName.Length is 0 or > UserDefaults.MaxDisplayNameLength || !SipNames.IsPrintable(displayName) || displayName.Contains('"')))
        {
            errors.Add("displayName", $"1 to {UserDefaults.MaxDisplayNameLength} printable characters, no '\"'.");
        }
        if (password is not null
            && (password.Length is < UserDefaults.MinPasswordLength or > UserDefaults.MaxPasswordLength || !SipNames.IsPrintable(password)))
        {
            errors.Add("password", $"{UserDefaults.MinPasswordLength} to {UserDefaults.MaxPasswordLength} printable characters.");
        }
        if (noAnswerSeconds is < UserDefaults.MinNoAnswerSeconds or > UserDefaults.MaxNoAnswerSeconds)
        {
            errors.Add("noAnswerSeconds", $"Between {UserDefaults.MinNoAnswerSeconds} and {UserDefaults.MaxNoAnswerSeconds}.");
        }
        if (language is not null && !SipNames.IsValidLanguage(language))
        {
            errors.Add("language", "A language tag such as 'en' or 'pt-BR'.");
        }
    }
}
