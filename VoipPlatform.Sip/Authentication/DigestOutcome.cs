namespace VoipPlatform.Sip.Authentication;

/// <summary>What verifying digest credentials concluded, and so what to answer.</summary>
public enum DigestOutcome
{
    /// <summary>Authenticated.</summary>
    Authenticated,
    /// <summary>Well-formed and correct, but the nonce expired: challenge again with <c>stale=true</c>.</summary>
    Stale,
    /// <summary>Nonce not ours, other realm, unknown algorithm, unknown user: challenge again.</summary>
    Rejected,
    /// <summary>The nonce-count did not increase (or a qop-less nonce was reused): a replay, challenge again.</summary>
    Replayed,
    /// <summary>The response does not match the user's credentials: 403 (RFC 3261 section 22.3 lets the UAS choose).</summary>
    WrongPassword,
}
