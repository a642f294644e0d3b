namespace VoipPlatform.Sip.Parsing;

/// <summary>Why a datagram did not become a <see cref="Messages.SipMessage"/>.</summary>
public enum SipParseStatus
{
    /// <summary>Parsed.</summary>
    Ok,
    /// <summary>Only CRLFs: an RFC 5626 keep-alive, to be ignored.</summary>
    KeepAlive,
    /// <summary>Not a well-formed SIP message; a request that can still be answered gets 400.</summary>
    Malformed,
}
