using VoipPlatform.Contracts.Users;

namespace VoipPlatform.AppLayer.Users;

/// <summary>
/// A user as every ordinary read returns it. Deliberately has no HA1: only the registrar's credentials endpoint
/// hands those out.
/// </summary>
/// <param name="User">Extension / user part, e.g. <c>1001</c>.</param>
/// <param name="Domain">The domain (realm) the user belongs to.</param>
/// <param name="DisplayName">Name shown to callees.</param>
/// <param name="Enabled">False: the user can neither register nor be called (calls get 403).</param>
/// <param name="NoAnswerSeconds">How long the user's devices ring before voicemail takes the call.</param>
/// <param name="VoicemailEnabled">Whether unanswered calls go to the user's mailbox.</param>
/// <param name="Language">Prompt language for the user's voicemail, e.g. <c>en</c>.</param>
public sealed record UserResponse(
    string User, string Domain, string DisplayName, bool Enabled, int NoAnswerSeconds, bool VoicemailEnabled, string Language);

/// <summary>Body of <c>POST /v1/domains/{domain}/users</c>. Only <c>user</c> and <c>password</c> are required.</summary>
/// <param name="User">Extension / user part: letters, digits, <c>. _ + -</c>; must not collide with a number of the domain.</param>
/// <param name="DisplayName">Defaults to the user part.</param>
/// <param name="Password">SIP password in clear, 8 to 128 characters; only its HA1 digests are stored.</param>
/// <param name="Enabled">Defaults to true.</param>
/// <param name="NoAnswerSeconds">5 to 300; defaults to 20.</param>
/// <param name="VoicemailEnabled">Defaults to true.</param>
/// <param name="Language">Defaults to <c>en</c>.</param>
public sealed record CreateUserRequest(
    string? User, string? DisplayName, string? Password, bool? Enabled, int? NoAnswerSeconds, bool? VoicemailEnabled, string? Language);

/// <summary>Body of <c>PATCH /v1/domains/{domain}/users/{user}</c>: fields left out (or null) keep their value.</summary>
/// <param name="Password">New password in clear; both HA1 digests are recomputed.</param>
public sealed record UpdateUserRequest(
    string? DisplayName, string? Password, bool? Enabled, int? NoAnswerSeconds, bool? VoicemailEnabled, string? Language);

/// <summary>A user as stored in <c>vp:user:{d}:{u}</c>, HA1 included. Never serialised to API clients as such.</summary>
public sealed record StoredUser(
    string User,
    string Domain,
    string DisplayName,
    bool Enabled,
    string Ha1Md5,
    string Ha1Sha256,
    int NoAnswerSeconds,
    bool VoicemailEnabled,
    string Language)
{
    public UserResponse ToResponse() => new(User, Domain, DisplayName, Enabled, NoAnswerSeconds, VoicemailEnabled, Language);

    public UserCredentials ToCredentials() => new(User, Domain, Ha1Md5, Ha1Sha256, Enabled);

    /// <summary>The compiler's ToString would print the HA1s into any log line that formats a user; it must not.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"User = {User}, Domain = {Domain}, Enabled = {Enabled}");
        return true;
    }
}

/// <summary>Defaults and limits of user settings.</summary>
public static class UserDefaults
{
    public const int NoAnswerSeconds = 20;
    public const int MinNoAnswerSeconds = 5;
    public const int MaxNoAnswerSeconds = 300;
    public const bool VoicemailEnabled = true;
    public const string Language = "en";
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 64;
}
