using System.Text.Json.Serialization;

namespace VoipPlatform.AppLayer.Rules;

/// <summary>What happens to a call for a user. Strings on the wire, like <c>RouteTargetKind</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallRuleMode>))]
public enum CallRuleMode
{
    /// <summary>Ring all the user's devices for its no-answer seconds; then voicemail (busy, no answer, not registered).</summary>
    Default,

    /// <summary>Do not disturb: straight to voicemail, or 486 when the user has no voicemail.</summary>
    DoNotDisturb,

    /// <summary>Unconditional forward to <see cref="CallRule.ForwardTo"/>.</summary>
    Forward,
}

/// <summary>A user's call rule: one document per user. No rule stored means <see cref="CallRuleMode.Default"/>.</summary>
/// <param name="User">The user the rule belongs to.</param>
/// <param name="Domain">Its domain.</param>
/// <param name="Mode">What happens to calls.</param>
/// <param name="ForwardTo">For <see cref="CallRuleMode.Forward"/>: a user of the same domain (<c>1002</c>) or a SIP URI (<c>sip:bob@example.com</c>).</param>
public sealed record CallRule(string User, string Domain, CallRuleMode Mode, string? ForwardTo)
{
    public static CallRule DefaultFor(string user, string domain) => new(user, domain, CallRuleMode.Default, null);
}

/// <summary>Body of <c>PUT /v1/domains/{domain}/users/{user}/rule</c>.</summary>
/// <param name="Mode"><c>Default</c>, <c>DoNotDisturb</c> or <c>Forward</c>.</param>
/// <param name="ForwardTo">Required for <c>Forward</c>, refused otherwise.</param>
public sealed record CallRuleRequest(CallRuleMode? Mode, string? ForwardTo);
