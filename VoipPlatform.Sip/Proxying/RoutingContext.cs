using System.Net;

namespace VoipPlatform.Sip.Proxying;

/// <summary>What the core already knows about a request when it asks the routing policy where it goes.</summary>
/// <param name="IsInDialog">The request carries a To tag.</param>
/// <param name="RouteNextHop">Where the Route set sends it after this hop's own entry is removed; null without Route.</param>
/// <param name="Source">Where the request came from.</param>
public readonly record struct RoutingContext(bool IsInDialog, IPEndPoint? RouteNextHop, IPEndPoint Source);
