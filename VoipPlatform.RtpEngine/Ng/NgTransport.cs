namespace VoipPlatform.RtpEngine.Ng;

/// <summary>How ng commands travel to RTPEngine.</summary>
public enum NgTransport
{
    /// <summary>One datagram per command (<c>--listen-ng</c>).</summary>
    Udp,

    /// <summary>
    /// A TCP connection (<c>--listen-tcp-ng</c>), each command framed as <c>length:cookie SP bencode</c>: no IP
    /// fragmentation of large SDP (video, many codecs, ICE candidates) and no datagram size limit.
    /// </summary>
    Tcp,
}
