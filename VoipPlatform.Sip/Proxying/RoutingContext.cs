using System.Net;

namespace VoipPlatform.Sip.Proxying;

/// <summary>What the core already knows about a request when it asks the routing policy where it goes.</summary>
/// <param name="IsInDialog">The request carries a To tag.</param>
/// <param name="RouteNextHop">Where the Route set sends it after this hop's own entry is removed; null without Route.</param>
/// <param name="Source">Where the request came from.</param>
/// <param name="RoutedToSelf">
/// The topmost Route named this hop: another platform hop sent the request here on purpose (a Record-Route or
/// Path entry of ours), so with no further Route it goes to its Request-URI.
/// </param>
/// <param name="RouteNextUri">
/// The URI of the Route entry the request goes to next, in the request's bytes (empty without one). When it names a
/// host rather than an address, or asks for TLS, <paramref name="RouteNextHop"/> is null and the entry is located by
/// <see cref="RoutingDecision.ByRouteOrRequestUri(VoipPlatform.Sip.Messages.SipMessage, in RoutingContext, Location.SipServerResolver)"/>.
/// </param>
public readonly record struct RoutingContext(bool IsInDialog, IPEndPoint? RouteNextHop, IPEndPoint Source, bool RoutedToSelf = false,
    Messages.ByteRange RouteNextUri = default);
