namespace VoipPlatform.AppLayer.Numbers;

/// <summary>
/// A number (DID or short code) of a domain. It leads either to a user (whose call rule then applies) or to an
/// application with its parameters; exactly one of <see cref="User"/> and <see cref="Application"/> is set.
/// </summary>
/// <param name="Number">Digits, optionally with a leading <c>+</c>: what the caller dials (the Request-URI user part).</param>
/// <param name="Domain">The domain the number belongs to.</param>
/// <param name="User">A user of the same domain.</param>
/// <param name="Application">An application name, e.g. <c>conference</c> (see <c>GET /v1/applications</c>).</param>
/// <param name="Parameters">The application's parameters, e.g. <c>{"room":"1"}</c>.</param>
public sealed record NumberResponse(
    string Number, string Domain, string? User, string? Application, IReadOnlyDictionary<string, string>? Parameters);

/// <summary>Body of <c>POST /v1/domains/{domain}/numbers</c> and (without <see cref="Number"/>) <c>PUT .../numbers/{number}</c>.</summary>
/// <param name="Number">Required on POST; on PUT the URL names the number and this must be absent or equal.</param>
/// <param name="User">Target user (must exist in the domain), or...</param>
/// <param name="Application">...target application.</param>
/// <param name="Parameters">Only with <see cref="Application"/>.</param>
public sealed record NumberRequest(string? Number, string? User, string? Application, Dictionary<string, string>? Parameters);
