namespace VoipPlatform.AppLayer.Routing;

/// <summary>The SIP statuses the decision logic answers with or fails over on.</summary>
public static class SipStatus
{
    public const int Forbidden = 403;
    public const int NotFound = 404;
    /// <summary>What the router reports for a step that rang out (no answer).</summary>
    public const int RequestTimeout = 408;
    /// <summary>What the router reports for a user with no registered device.</summary>
    public const int TemporarilyUnavailable = 480;
    public const int BusyHere = 486;

    /// <summary>Busy, no answer, not registered: the cases in which a user's call goes to voicemail.</summary>
    public static readonly IReadOnlyList<int> VoicemailFailover = [BusyHere, RequestTimeout, TemporarilyUnavailable];
}

/// <summary>Reason phrases of plans whose reason is not the standard one, so the caller's phone can tell why.</summary>
public static class RouteReasons
{
    public const string RelayDenied = "Relaying denied";
    public const string UserDisabled = "User disabled";
    public const string DoNotDisturb = "Do Not Disturb";
}
