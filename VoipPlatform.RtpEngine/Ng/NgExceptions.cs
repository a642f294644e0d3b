namespace VoipPlatform.RtpEngine.Ng;

/// <summary>RTPEngine answered <c>result: error</c>.</summary>
/// <param name="command">The command refused.</param>
/// <param name="reason">RTPEngine's <c>error-reason</c>.</param>
public sealed class NgErrorException(string command, string reason) : Exception($"RTPEngine refused '{command}': {reason}")
{
    /// <summary>RTPEngine's <c>error-reason</c>, e.g. <c>Unknown call-id</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>RTPEngine did not answer after every try.</summary>
/// <param name="command">The command sent.</param>
/// <param name="tries">How often it was sent.</param>
public sealed class NgTimeoutException(string command, int tries) : Exception($"RTPEngine did not answer '{command}' after {tries} tries");
