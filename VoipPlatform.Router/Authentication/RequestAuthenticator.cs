using VoipPlatform.Router.Decisions;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Authentication;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Authentication;

/// <summary>
/// Digest authentication of REGISTER (401/Authorization) and of calls (407/Proxy-Authorization) against the HA1s of
/// the business-logic API. Nonces are stateless (HMAC over a shared secret), so any replica verifies what another issued.
/// </summary>
public sealed class RequestAuthenticator(DigestAuthenticator digest, BusinessApiClient api)
{
    /// <summary>How a request fared: authenticated, or the answer to send instead.</summary>
    public readonly record struct Outcome(bool Authenticated, RoutingDecision Answer);

    /// <summary>
    /// Checks the request's credentials for <paramref name="user"/> in <paramref name="realm"/>; challenges when
    /// there are none (or they are stale or replayed), refuses wrong passwords, unknown and disabled users with 403.
    /// </summary>
    internal async ValueTask<Outcome> AuthenticateAsync(RequestFacts request, string realm, string user, bool asProxy)
    {
        string header = asProxy ? SipHeaderNames.ProxyAuthorization : SipHeaderNames.Authorization;
        if (CredentialsFor(request, header, realm) is not { } credentials) return Challenge(realm, asProxy, stale: false);
        if (credentials.Username != user) return Refuse("Credentials of another user");

        var stored = await api.GetCredentialsAsync(credentials.Username, realm);
        if (stored is null) return Refuse("Unknown user");
        if (!stored.Enabled) return Refuse("User disabled");

        DigestOutcome outcome = digest.Verify(credentials, request.Method, realm,
            (_, algorithm) => algorithm == DigestAlgorithm.Sha256 ? stored.Ha1Sha256 : stored.Ha1Md5);
        return outcome switch
        {
            DigestOutcome.Authenticated => new Outcome(true, default),
            DigestOutcome.WrongPassword => Refuse("Wrong credentials"),
            DigestOutcome.Stale => Challenge(realm, asProxy, stale: true),
            _ => Challenge(realm, asProxy, stale: false),
        };
    }

    /// <summary>The first credentials of the header for <paramref name="realm"/> (a UA may answer several realms' challenges).</summary>
    private static DigestCredentials? CredentialsFor(RequestFacts request, string header, string realm)
    {
        foreach (string value in request.Values(header))
        {
            if (DigestCredentials.Parse(value) is { } credentials && credentials.Realm == realm) return credentials;
        }
        return null;
    }

    private Outcome Challenge(string realm, bool asProxy, bool stale)
    {
        string header = asProxy ? SipHeaderNames.ProxyAuthenticate : SipHeaderNames.WwwAuthenticate;
        SipHeader[] challenges = digest.Challenges(realm, stale).Select(value => new SipHeader(header, value)).ToArray();
        int status = asProxy ? SipStatus.ProxyAuthenticationRequired : SipStatus.Unauthorized;
        // A challenge keeps no transaction (RFC 3261 section 8.2.7: the stateless UAS role exists for exactly this),
        // so a flood of unauthenticated requests leaves no state behind; a retransmission gets a fresh challenge.
        // The core ignores this for INVITE, whose 407 needs its transaction for the ACK.
        return new Outcome(false, RoutingDecision.Respond(status, null, challenges).AsStateless());
    }

    private static Outcome Refuse(string reason) => new(false, RoutingDecision.Reject(SipStatus.Forbidden, reason));
}
