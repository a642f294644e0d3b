using System.Net;

namespace VoipPlatform.Sip.Location;

/// <summary>One server for a SIP service, from an SRV record (RFC 2782) and the address of its target.</summary>
/// <param name="Host">The SRV target name.</param>
/// <param name="EndPoint">Its address and the SRV port.</param>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Share of the load within one priority.</param>
public sealed record SrvTarget(string Host, IPEndPoint EndPoint, int Priority, int Weight);
