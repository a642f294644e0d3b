using System.Text.RegularExpressions;
using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.AppLayer.Numbers;

/// <summary>Which parameters an application takes, and which it cannot run without.</summary>
/// <param name="Name">The application (see <see cref="ApplicationNames"/>).</param>
/// <param name="Required">Parameters a number must set.</param>
/// <param name="Optional">Parameters a number may set.</param>
/// <param name="Description">What a caller gets.</param>
public sealed record ApplicationSpec(string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, string Description);

/// <summary>
/// The applications a number can lead to. Parameter values travel as SIP header values (<c>X-VP-App-&lt;Name&gt;</c>),
/// so they are restricted to token characters; a PIN is digits only and max-members a positive integer.
/// </summary>
public static partial class ApplicationCatalog
{
    public const int MaxMembersLimit = 1000;

    public static readonly IReadOnlyList<ApplicationSpec> All =
    [
        new(ApplicationNames.VoicemailCheck, [], [ApplicationParameters.Mailbox, ApplicationParameters.Pin, ApplicationParameters.Language],
            "Listen to a mailbox. Without a mailbox parameter, an authenticated caller of the same domain gets its own."),
        new(ApplicationNames.VoicemailDeposit, [ApplicationParameters.Mailbox], [ApplicationParameters.Language],
            "Leave a message in a mailbox."),
        new(ApplicationNames.Conference, [ApplicationParameters.Room], [ApplicationParameters.Pin, ApplicationParameters.MaxMembers, ApplicationParameters.Language],
            "Join a conference room."),
        new(ApplicationNames.Ivr, [ApplicationParameters.Menu], [ApplicationParameters.Language], "Run an IVR menu."),
        new(ApplicationNames.Playback, [ApplicationParameters.Prompt], [ApplicationParameters.Language], "Play a prompt and hang up."),
        new(ApplicationNames.Echo, [], [], "Echo test: hear yourself."),
    ];

    private static readonly Dictionary<string, ApplicationSpec> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static ApplicationSpec? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Token characters only: safe in a SIP header value without quoting.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9._+-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex ValuePattern();

    [GeneratedRegex(@"^[0-9]{1,16}$", RegexOptions.CultureInvariant)]
    public static partial Regex PinPattern();
}
