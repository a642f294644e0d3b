namespace VoipPlatform.AppLayer.Rules;

/// <summary>
/// A forward target is either a user of the same domain (<c>1002</c>) or an external SIP URI (<c>sip:bob@example.com</c>).
/// Only the former is a reference the store must keep consistent.
/// </summary>
public static class ForwardTarget
{
    private static readonly string[] UriSchemes = ["sip:", "sips:"];

    public static bool IsUri(string target) => UriSchemes.Any(s => target.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user part when <paramref name="target"/> names a user of the domain; null for a URI or no target.</summary>
    public static string? InternalUser(string? target) => target is null || IsUri(target) ? null : target;
}
