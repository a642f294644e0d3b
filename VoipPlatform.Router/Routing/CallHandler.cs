using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Authentication;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Decisions;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Routing;

/// <summary>
/// New calls (and other out-of-dialog requests): authenticate the caller unless the source is trusted, ask the
/// business-logic API for a plan, and hand the plan to the core to execute.
/// </summary>
public sealed class CallHandler(RequestAuthenticator authenticator, BusinessApiClient api, PlanExecutor plans,
    IOptions<RouterOptions> options, ILogger<CallHandler> logger)
{
    private static readonly string[] HeadersOfInterest = ["P-Asserted-Identity", "Diversion", "User-Agent", ApplicationHeaders.IvrResult];
    private readonly RouterOptions _options = options.Value;
    private readonly IPNetwork[] _trusted = options.Value.TrustedSources.Select(IPNetwork.Parse).ToArray();

    internal async ValueTask<RoutingDecision> HandleAsync(RequestFacts call)
    {
        try
        {
            bool trusted = _trusted.Any(network => network.Contains(call.Origin));
            bool authenticated = false;
            if (!trusted)
            {
                // Nobody outside can authenticate for a domain we do not serve: refuse before challenging (no open relay).
                if (!await api.IsServedDomainAsync(call.From.Host)) return RoutingDecision.Reject(SipStatus.Forbidden, "Domain not served");
                RequestAuthenticator.Outcome auth = await authenticator.AuthenticateAsync(call, call.From.Host, call.From.User, asProxy: true);
                if (!auth.Authenticated) return auth.Answer;
                authenticated = true;
            }

            var request = new CallRouteRequest(
                call.CallId,
                new SipParty(call.From.User, call.From.Host, call.From.DisplayName),
                new SipParty(call.Target.User, call.Target.Host),
                call.RequestUri,
                call.Origin.ToString(),
                authenticated,
                trusted,
                HeadersOfInterest.Select(name => (name, value: call.Value(name))).Where(h => h.value is not null)
                    .ToDictionary(h => h.name, h => h.value!));
            RoutePlan plan = await api.RouteAsync(request);
            return await plans.ToDecisionAsync(plan, call);
        }
        catch (BusinessApiUnavailableException ex)
        {
            logger.LogWarning("Call {CallId} answered 503: {Reason}", call.CallId, ex.Message);
            return Unavailable.Answer("Routing unavailable", _options);
        }
    }
}
