using StackExchange.Redis;
using VoipPlatform.Contracts.Directory;

namespace VoipPlatform.AppLayer.Storage;

/// <summary>
/// The Redis key layout of the logic API, in one place so it can be documented and never drift between stores
/// (docs/business-logic-api.md has the same table). Every key starts with <c>vp:</c>. Domains are stored lower-case;
/// user parts and numbers exactly as given. Neither may contain <c>:</c> (validation refuses it), so a key can never
/// be read as another one (e.g. <c>vp:user:d:1001</c> vs <c>vp:user:d:1001:refs</c>).
/// </summary>
public static class RedisKeys
{
    /// <summary>Set of every served domain name.</summary>
    public static readonly RedisKey Domains = "vp:domains";

    /// <summary>Hash: a served domain (<see cref="DomainFields"/>). Its existence is what "served" means.</summary>
    public static RedisKey Domain(string domain) => $"vp:domain:{domain}";

    /// <summary>Set of the user parts of a domain's users.</summary>
    public static RedisKey DomainUsers(string domain) => $"vp:domain:{domain}:users";

    /// <summary>Set of a domain's numbers.</summary>
    public static RedisKey DomainNumbers(string domain) => $"vp:domain:{domain}:numbers";

    /// <summary>Hash: a user, including its HA1 digests (<see cref="UserFields"/>).</summary>
    public static RedisKey User(string domain, string user) => $"vp:user:{domain}:{user}";

    /// <summary>
    /// Set of what points at a user (<c>number:8000</c>, <c>forward:1002</c>): a user is deleted only while it is empty,
    /// so nothing can be left pointing at a missing user.
    /// </summary>
    public static RedisKey UserReferrers(string domain, string user) => $"vp:user:{domain}:{user}:refs";

    /// <summary>Hash: a user's call rule (<see cref="RuleFields"/>); absent means the default rule.</summary>
    public static RedisKey Rule(string domain, string user) => $"vp:rule:{domain}:{user}";

    /// <summary>Hash: a number (DID) of a domain (<see cref="NumberFields"/>).</summary>
    public static RedisKey Number(string domain, string number) => $"vp:number:{domain}:{number}";

    /// <summary>Hash: an IVR menu of a domain (<see cref="IvrMenuFields"/>).</summary>
    public static RedisKey IvrMenu(string domain, string menu) => $"vp:ivr:{domain}:{menu}";

    /// <summary>
    /// Counter incremented in the same <c>MULTI</c>/<c>EXEC</c> as every committed write (<see cref="DirectoryEpoch"/>);
    /// the name is shared with the router through <see cref="DirectoryChanges"/>.
    /// </summary>
    public static readonly RedisKey DirectoryEpoch = DirectoryChanges.EpochKey;

    /// <summary>Channel on which the epoch a committed write produced is published, for the routers' caches.</summary>
    public static readonly RedisChannel DirectoryChanged = RedisChannel.Literal(DirectoryChanges.Channel);

    /// <summary>Member of <see cref="UserReferrers"/> for a number that maps to the user.</summary>
    public static string NumberReferrer(string number) => $"number:{number}";

    /// <summary>Member of <see cref="UserReferrers"/> for a user whose rule forwards to the user.</summary>
    public static string ForwardReferrer(string user) => $"forward:{user}";
}

/// <summary>Fields of <see cref="RedisKeys.Domain"/>.</summary>
public static class DomainFields
{
    public const string Name = "name";
    public const string Description = "description";
    public const string CreatedAt = "createdAt";
}

/// <summary>Fields of <see cref="RedisKeys.User"/>.</summary>
public static class UserFields
{
    public const string User = "user";
    public const string DisplayName = "displayName";
    public const string Enabled = "enabled";
    public const string Ha1Md5 = "ha1Md5";
    public const string Ha1Sha256 = "ha1Sha256";
    public const string NoAnswerSeconds = "noAnswerSeconds";
    public const string VoicemailEnabled = "voicemailEnabled";
    public const string Language = "language";
}

/// <summary>Fields of <see cref="RedisKeys.Rule"/>.</summary>
public static class RuleFields
{
    public const string Mode = "mode";
    public const string ForwardTo = "forwardTo";
}

/// <summary>Fields of <see cref="RedisKeys.Number"/>.</summary>
public static class NumberFields
{
    public const string Number = "number";
    public const string User = "user";
    public const string Application = "application";
    /// <summary>JSON object of the application's parameters.</summary>
    public const string Parameters = "parameters";
}

/// <summary>Fields of <see cref="RedisKeys.IvrMenu"/>.</summary>
public static class IvrMenuFields
{
    public const string Prompt = "prompt";
    public const string TimeoutSeconds = "timeoutSeconds";
    /// <summary>JSON object: digit to target.</summary>
    public const string Choices = "choices";
}
