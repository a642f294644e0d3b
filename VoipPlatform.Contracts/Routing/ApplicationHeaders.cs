namespace VoipPlatform.Contracts.Routing;

/// <summary>Applications the application layer runs (the <see cref="RouteTarget.Application"/> values).</summary>
public static class ApplicationNames
{
    /// <summary>Leave a message in <see cref="ApplicationParameters.Mailbox"/>.</summary>
    public const string VoicemailDeposit = "voicemail-deposit";
    /// <summary>Listen to the messages of <see cref="ApplicationParameters.Mailbox"/>.</summary>
    public const string VoicemailCheck = "voicemail-check";
    /// <summary>Join conference <see cref="ApplicationParameters.Room"/>.</summary>
    public const string Conference = "conference";
    /// <summary>Run IVR menu <see cref="ApplicationParameters.Menu"/>.</summary>
    public const string Ivr = "ivr";
    /// <summary>Play <see cref="ApplicationParameters.Prompt"/> and hang up.</summary>
    public const string Playback = "playback";
    /// <summary>Echo test.</summary>
    public const string Echo = "echo";

    /// <summary>Every application name the platform knows.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        VoicemailDeposit, VoicemailCheck, Conference, Ivr, Playback, Echo,
    };
}

/// <summary>Keys of <see cref="RouteTarget.Parameters"/>.</summary>
public static class ApplicationParameters
{
    /// <summary>Mailbox id (voicemail).</summary>
    public const string Mailbox = "mailbox";
    /// <summary>Conference room id.</summary>
    public const string Room = "room";
    /// <summary>PIN (conference, voicemail check).</summary>
    public const string Pin = "pin";
    /// <summary>Maximum conference members.</summary>
    public const string MaxMembers = "max-members";
    /// <summary>IVR menu id.</summary>
    public const string Menu = "menu";
    /// <summary>Prompt to play.</summary>
    public const string Prompt = "prompt";
    /// <summary>Prompt language, e.g. <c>en</c>.</summary>
    public const string Language = "language";
    /// <summary>The calling user, as the application should present it.</summary>
    public const string Caller = "caller";
    /// <summary>
    /// The platform domain the call is for: mailboxes and rooms are named per domain, so <c>1001</c> of two customers
    /// are two mailboxes and room <c>1</c> of two customers two conferences.
    /// </summary>
    public const string Domain = "domain";

    /// <summary>Every parameter the application layer understands; the router sends no other.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Mailbox, Room, Pin, MaxMembers, Menu, Prompt, Language, Caller, Domain,
    };
}

/// <summary>
/// The SIP headers that carry an application branch's instructions to the application layer: the application in
/// <see cref="Application"/>, each parameter in <see cref="ParameterPrefix"/> + its name (e.g. <c>X-VP-App-Mailbox</c>).
/// </summary>
public static class ApplicationHeaders
{
    /// <summary>Names the application to run.</summary>
    public const string Application = "X-VP-App";

    /// <summary>Prefix of the per-parameter headers.</summary>
    public const string ParameterPrefix = "X-VP-App-";

    /// <summary>
    /// What an IVR returns to the routing layer: the application transfers the caller (REFER) to the chosen target
    /// with this header in the Refer-To URI, <c>&lt;menu&gt;;choice=&lt;digit&gt;</c>; the router passes it to the
    /// business-logic API in <see cref="CallRouteRequest.Headers"/>. The caller's phone sends it, so it is a hint,
    /// never a proof.
    /// </summary>
    public const string IvrResult = "X-VP-Ivr-Result";

    /// <summary>The header that carries a parameter: <c>max-members</c> → <c>X-VP-App-Max-Members</c>.</summary>
    public static string ForParameter(string parameter) =>
        ParameterPrefix + string.Join('-', parameter.Split('-', '_').Select(part =>
            part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));
}
