using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.AppLayer.Seeding;

/// <summary>
/// The demo data set, documented in docs/business-logic-api.md: three users whose password is <c>secret</c> +
/// extension, a "check my voicemail" number, a conference room and an echo test.
/// </summary>
public static class DemoData
{
    public sealed record DemoUser(string User, string DisplayName, string Password);

    public sealed record DemoNumber(string Number, string Application, IReadOnlyDictionary<string, string> Parameters);

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("1001", "Alice 1001", "secret1001"),
        new("1002", "Bob 1002", "secret1002"),
        new("1003", "Carol 1003", "secret1003"),
    ];

    public static readonly IReadOnlyList<DemoNumber> Numbers =
    [
        new("8000", ApplicationNames.VoicemailCheck, new Dictionary<string, string>()),
        new("8100", ApplicationNames.Conference, new Dictionary<string, string>
        {
            [ApplicationParameters.Room] = "1",
            [ApplicationParameters.MaxMembers] = "10",
        }),
        new("8200", ApplicationNames.Echo, new Dictionary<string, string>()),
    ];

    public const string DomainDescription = "Demo domain (seeded)";
}
