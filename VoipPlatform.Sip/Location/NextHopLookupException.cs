namespace VoipPlatform.Sip.Location;

/// <summary>The servers of a service could not be looked up (DNS server down, timeout, malformed answer).</summary>
public sealed class NextHopLookupException(string message, Exception? inner = null) : Exception(message, inner);
