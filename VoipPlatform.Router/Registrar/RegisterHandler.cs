using System.Globalization;
using Microsoft.Extensions.Options;
using VoipPlatform.Router.Authentication;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Decisions;
using VoipPlatform.Router.Requests;
using VoipPlatform.Router.Routing;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Registrar;

/// <summary>
/// The registrar (RFC 3261 section 10.3): authenticates the REGISTER as the user of its To header, then adds,
/// refreshes or removes that user's bindings and answers 200 with all of them.
/// </summary>
public sealed class RegisterHandler(RequestAuthenticator authenticator, BusinessApiClient api, RegistrationStore store,
    IOptions<RouterOptions> options, TimeProvider time, ILogger<RegisterHandler> logger)
{
    private readonly RouterOptions _options = options.Value;
    private readonly HttpDate _date = new();

    internal async ValueTask<RoutingDecision> HandleAsync(RequestFacts request)
    {
        string user = request.To.User, domain = request.To.Host;
        if (user.Length == 0 || domain.Length == 0) return RoutingDecision.Reject(SipStatus.BadRequest, "To has no user or domain");
        try
        {
            if (!await api.IsServedDomainAsync(domain)) return RoutingDecision.Reject(SipStatus.Forbidden, "Domain not served");
            RequestAuthenticator.Outcome auth = await authenticator.AuthenticateAsync(request, domain, user, asProxy: false);
            if (!auth.Authenticated) return auth.Answer;
        }
        catch (BusinessApiUnavailableException ex)
        {
            logger.LogWarning("REGISTER for {User}@{Domain} answered 503: {Reason}", user, domain, ex.Message);
            return Unavailable.Answer("Directory unavailable", _options);
        }

        IReadOnlyList<string> contacts = request.Elements(SipHeaderNames.Contact, SipHeaderNames.ContactCompact);
        long? headerExpires = long.TryParse(request.Value(SipHeaderNames.Expires), NumberStyles.None, CultureInfo.InvariantCulture, out long e) ? e : null;

        if (contacts.Count == 1 && contacts[0] == "*")
        {
            // "*" removes every binding, and only with Expires: 0 (RFC 3261 section 10.3 step 6).
            if (headerExpires != 0) return RoutingDecision.Reject(SipStatus.BadRequest, "Wildcard Contact needs Expires: 0");
            await store.ApplyAsync(user, domain, [], [], removeAll: true, _options.MaxContactsPerUser);
            return Registered(request, []);
        }
        if (contacts.Contains("*")) return RoutingDecision.Reject(SipStatus.BadRequest, "Wildcard Contact mixed with others");

        long now = time.GetUtcNow().ToUnixTimeSeconds();
        string[] path = PathUris(request);
        var upserts = new List<Binding>();
        var removals = new List<string>();
        foreach (string element in contacts)
        {
            SipAddress contact = SipAddress.Parse(element);
            if (contact.Host.Length == 0) return RoutingDecision.Reject(SipStatus.BadRequest, "Malformed Contact");
            long expires = long.TryParse(contact.Parameter("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out long p) ? p
                : headerExpires ?? _options.DefaultExpiresSeconds;
            if (expires == 0)
            {
                removals.Add(contact.Uri);
                continue;
            }
            if (expires < _options.MinExpiresSeconds)
            {
                return RoutingDecision.Respond(SipStatus.IntervalTooBrief, null,
                    [new SipHeader(SipHeaderNames.MinExpires, _options.MinExpiresSeconds.ToString(CultureInfo.InvariantCulture))]);
            }
            expires = Math.Min(expires, _options.MaxExpiresSeconds);
            upserts.Add(new Binding(contact.Uri, path, now + expires, request.CallId, request.CSeq));
        }

        if (contacts.Count == 0) return Registered(request, await store.GetAsync(user, domain)); // a query (RFC 3261 section 10.2.3)

        if (await store.ApplyAsync(user, domain, upserts, removals, removeAll: false, _options.MaxContactsPerUser) is not { } current)
        {
            return RoutingDecision.Reject(SipStatus.Forbidden, "Too many contacts");
        }
        logger.LogDebug("{User}@{Domain} has {Count} binding(s)", user, domain, current.Count);
        return Registered(request, current);
    }

    /// <summary>The URIs of the REGISTER's Path (RFC 3327), the route back to the UA.</summary>
    private static string[] PathUris(RequestFacts request)
    {
        IReadOnlyList<string> elements = request.Elements(SipHeaderNames.Path);
        if (elements.Count == 0) return [];
        var uris = new List<string>(elements.Count);
        foreach (string element in elements)
        {
            if (SipAddress.Parse(element).Uri is { Length: > 0 } uri) uris.Add(uri);
        }
        return [.. uris];
    }

    /// <summary>200 with every current binding and its remaining time; Path echoed when the UA supports it (RFC 3327 section 5.3).</summary>
    private RoutingDecision Registered(RequestFacts request, IReadOnlyList<Binding> bindings)
    {
        DateTimeOffset now = time.GetUtcNow();
        var headers = new List<SipHeader>(bindings.Count + 2);
        foreach (Binding binding in bindings)
        {
            headers.Add(new SipHeader(SipHeaderNames.Contact,
                string.Create(CultureInfo.InvariantCulture, $"<{binding.Contact}>;expires={binding.SecondsLeft(now)}")));
        }
        if (SupportsPath(request))
        {
            foreach (string path in request.Values(SipHeaderNames.Path)) headers.Add(new SipHeader(SipHeaderNames.Path, path));
        }
        headers.Add(new SipHeader(SipHeaderNames.Date, _date.Format(now)));
        return RoutingDecision.Respond(SipStatus.Ok, null, headers);
    }

    private static bool SupportsPath(RequestFacts request)
    {
        foreach (string option in request.Elements(SipHeaderNames.Supported, SipHeaderNames.SupportedCompact))
        {
            if (option.Equals("path", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
