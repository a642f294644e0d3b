using System.Net;

namespace VoipPlatform.Sip.Location;

/// <summary>One server of a service: from an SRV record (RFC 2782) and its target's address, or from configuration.</summary>
/// <param name="Host">The SRV target name, or the configured entry.</param>
/// <param name="EndPoint">Its address and port.</param>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Share of the load within one priority.</param>
public sealed record NextHopTarget(string Host, IPEndPoint EndPoint, int Priority, int Weight);
