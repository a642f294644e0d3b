namespace VoipPlatform.Contracts.Routing;

/// <summary>
/// The facts of a new call the router sends to <c>POST /v1/calls/route</c>. The API answers with a <see cref="RoutePlan"/>.
/// </summary>
/// <param name="CallId">SIP Call-ID (for logs and correlation only).</param>
/// <param name="Caller">From: user part, domain, display name.</param>
/// <param name="Callee">The dialled party: user part and domain of the Request-URI.</param>
/// <param name="RequestUri">The Request-URI as received.</param>
/// <param name="Source">Where the request entered the platform, <c>ip:port</c>.</param>
/// <param name="CallerAuthenticated">True when the caller passed digest authentication as <see cref="Caller"/>.</param>
/// <param name="SourceTrusted">True when the request came from a configured trusted source (a carrier, a PBX).</param>
/// <param name="Headers">Headers of interest to the business logic, by name (e.g. <c>P-Asserted-Identity</c>).</param>
public sealed record CallRouteRequest(
    string CallId,
    SipParty Caller,
    SipParty Callee,
    string RequestUri,
    string Source,
    bool CallerAuthenticated,
    bool SourceTrusted,
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>One side of a call: the user part and domain of a SIP URI.</summary>
public sealed record SipParty(string User, string Domain, string? DisplayName = null);
