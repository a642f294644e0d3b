namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>One RTPEngine interface: the local address it binds RTP ports on, and what SDP advertises.</summary>
public sealed class RtpEngineInterfaceOptions
{
    /// <summary>Local IP address RTPEngine binds its RTP ports on. Locally 127.0.0.1; in a pod, the pod address.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Address written into SDP instead of <see cref="Address"/>, for a relay behind 1:1 NAT (RTPEngine's
    /// <c>IP!ADVERTISED</c> form). None by default: SDP carries the local address.
    /// </summary>
    public string? AdvertisedAddress { get; set; }
}
