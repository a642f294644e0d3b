using VoipPlatform.AppLayer.Domains;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.AppLayer.Rules;
using VoipPlatform.AppLayer.Users;
using VoipPlatform.AppLayer.Validation;
using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.AppLayer.Routing;

/// <summary>
/// The business decision for a new call: turns the facts the router sends (<see cref="CallRouteRequest"/>) into a
/// <see cref="RoutePlan"/>. The plans per case are documented with JSON examples in docs/business-logic-api.md.
/// </summary>
public sealed class RoutePlanner(DomainStore domains, UserStore users, NumberStore numbers, RuleStore rules, ILogger<RoutePlanner> logger)
{
    public async Task<RoutePlan> PlanAsync(CallRouteRequest request)
    {
        var plan = await DecideAsync(request);
        logger.LogInformation("Call {CallId} {Caller}@{CallerDomain} -> {Callee}@{CalleeDomain}: {Outcome}",
            request.CallId, request.Caller.User, request.Caller.Domain, request.Callee.User, request.Callee.Domain,
            plan.Status is { } status ? $"reject {status}" : $"{plan.Steps.Count} step(s)");
        return plan;
    }

    private async Task<RoutePlan> DecideAsync(CallRouteRequest request)
    {
        if (!SipNames.TryNormalizeDomain(request.Callee.Domain, out string domain) || !await domains.ExistsAsync(domain))
        {
            // Not ours: only callers we know may leave the platform through us; anyone else would use it as an open relay.
            return request.CallerAuthenticated || request.SourceTrusted
                ? new RoutePlan([new RouteStep([RouteTarget.ForUri(request.RequestUri)])])
                : RoutePlan.Reject(SipStatus.Forbidden, RouteReasons.RelayDenied);
        }

        // Ours: anyone may call our users and numbers (that is how inbound calls arrive).
        // A user part that is neither a valid user nor a valid number cannot be stored, so it is unknown (and never
        // reaches a Redis key).
        string callee = request.Callee.User;
        if (SipNames.IsValidUser(callee) && await users.GetAsync(domain, callee) is { } user) return await PlanForUserAsync(user, request);

        if (!SipNames.IsValidNumber(callee) || await numbers.GetAsync(domain, callee) is not { } number) return RoutePlan.Reject(SipStatus.NotFound);
        if (number.User is { } numberUser)
        {
            // The store keeps numbers from pointing at missing users; a miss here is a race with a delete.
            return await users.GetAsync(domain, numberUser) is { } target
                ? await PlanForUserAsync(target, request)
                : RoutePlan.Reject(SipStatus.NotFound);
        }
        return PlanForApplication(number, domain, request);
    }

    private async Task<RoutePlan> PlanForUserAsync(StoredUser user, CallRouteRequest request)
    {
        if (!user.Enabled) return RoutePlan.Reject(SipStatus.Forbidden, RouteReasons.UserDisabled);

        var rule = await rules.GetAsync(user.Domain, user.User);
        switch (rule.Mode)
        {
            case CallRuleMode.DoNotDisturb:
                return user.VoicemailEnabled
                    ? new RoutePlan([VoicemailStep(user, request)])
                    : RoutePlan.Reject(SipStatus.BusyHere, RouteReasons.DoNotDisturb);

            case CallRuleMode.Forward when rule.ForwardTo is { } forwardTo:
                var target = ForwardTarget.IsUri(forwardTo) ? RouteTarget.ForUri(forwardTo) : RouteTarget.ForUser(forwardTo, user.Domain);
                return new RoutePlan([new RouteStep([target], user.NoAnswerSeconds)]);

            default:
                if (!user.VoicemailEnabled)
                {
                    return new RoutePlan([new RouteStep([RouteTarget.ForUser(user.User, user.Domain)], user.NoAnswerSeconds)]);
                }
                var ring = new RouteStep([RouteTarget.ForUser(user.User, user.Domain)], user.NoAnswerSeconds, SipStatus.VoicemailFailover);
                return new RoutePlan([ring, VoicemailStep(user, request)]);
        }
    }

    private static RouteStep VoicemailStep(StoredUser user, CallRouteRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ApplicationParameters.Mailbox] = user.User,
            [ApplicationParameters.Language] = user.Language,
            [ApplicationParameters.Domain] = user.Domain,
        };
        AddCaller(parameters, request);
        return new RouteStep([RouteTarget.ForApplication(ApplicationNames.VoicemailDeposit, parameters)]);
    }

    private static RoutePlan PlanForApplication(NumberResponse number, string domain, CallRouteRequest request)
    {
        var parameters = new Dictionary<string, string>(number.Parameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        string application = number.Application!;
        // "Check my voicemail" numbers name no mailbox: the caller's own, but only when digest authentication proved
        // who the caller is; otherwise the application asks for a mailbox (never trust a From header with a mailbox).
        if (application == ApplicationNames.VoicemailCheck
            && !parameters.ContainsKey(ApplicationParameters.Mailbox)
            && request.CallerAuthenticated
            && SipNames.TryNormalizeDomain(request.Caller.Domain, out string callerDomain) && callerDomain == domain
            && SipNames.IsValidUser(request.Caller.User))
        {
            parameters[ApplicationParameters.Mailbox] = request.Caller.User;
        }
        parameters[ApplicationParameters.Domain] = domain; // mailboxes and rooms are per domain
        AddCaller(parameters, request);
        return new RoutePlan([new RouteStep([RouteTarget.ForApplication(application, parameters)])]);
    }

    /// <summary>
    /// The caller's user part for the application (it becomes the <c>X-VP-App-Caller</c> header), only when it is a
    /// plain user part: a From header is caller-controlled and must not be able to inject header syntax.
    /// </summary>
    private static void AddCaller(Dictionary<string, string> parameters, CallRouteRequest request)
    {
        if (SipNames.IsValidUser(request.Caller.User)) parameters[ApplicationParameters.Caller] = request.Caller.User;
    }
}
