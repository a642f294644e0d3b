using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Requests;
using VoipPlatform.Router.Routing;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// Turns the API's <see cref="RoutePlan"/> into the proxy core's <see cref="ForkPlan"/>: a user target becomes one
/// branch per registered Contact (through the Path it registered with), an application target a branch to an
/// application server carrying its instructions in headers, a URI target a branch to that URI. A step left without
/// a branch because no application server is available fails with 503 and Retry-After, so the caller hears why.
/// </summary>
public sealed class PlanExecutor(RegistrationStore registrations, ApplicationServers applications, SipServerResolver servers,
    IOptions<RouterOptions> options, ILogger<PlanExecutor> logger)
{
    /// <summary>Reason phrase of the 503 a caller gets when an application step finds no application server.</summary>
    public const string NoApplicationServerReason = "Application server unavailable";

    internal async Task<RoutingDecision> ToDecisionAsync(RoutePlan plan, RequestFacts call)
    {
        if (plan.Steps.Count == 0)
        {
            int status = plan.Status is >= 300 and <= 699 ? plan.Status.Value : SipStatus.ServerInternalError;
            return RoutingDecision.Reject(status, plan.Reason);
        }
        var steps = new List<ForkStep>(plan.Steps.Count);
        foreach (RouteStep step in plan.Steps)
        {
            SipHeader[] stepHeaders = (step.Headers ?? new Dictionary<string, string>()).Select(h => new SipHeader(h.Key, h.Value)).ToArray();
            var branches = new List<ForkBranch>();
            bool noApplicationServer = false;
            int unresolved = 0;
            foreach (RouteTarget target in step.Targets)
            {
                (IEnumerable<ForkBranch> targetBranches, bool noServer, int status) = await BranchesAsync(target, stepHeaders, call);
                branches.AddRange(targetBranches);
                noApplicationServer |= noServer;
                if (status != 0) unresolved = status;
            }
            // A branch with several located servers fails over between them on silence: bounded like the edge's.
            TimeSpan answerTimeout = branches.Any(b => b.Alternates.Count > 0) ? servers.AnswerTimeout : TimeSpan.Zero;
            var timeout = TimeSpan.FromSeconds(Math.Max(0, step.TimeoutSeconds));
            IReadOnlyCollection<int> failoverOn = (step.FailoverOn ?? RouteStep.DefaultFailoverOn).ToArray();
            steps.Add(branches.Count == 0 && noApplicationServer
                // Nothing to ring because the application layer is down or empty: 503 with a reason and Retry-After
                // (a following step still runs when the plan fails over on 503).
                ? new ForkStep(branches, timeout, failoverOn, SipStatus.ServiceUnavailable, NoApplicationServerReason,
                    EmptyStatus: SipStatus.ServiceUnavailable, FinalHeaders: [Unavailable.RetryAfter(options.Value)])
                // Nothing to ring because the target's host located no server (404) or DNS failed (503).
                : branches.Count == 0 && unresolved != 0
                    ? new ForkStep(branches, timeout, failoverOn, step.FinalStatus, step.FinalReason, EmptyStatus: unresolved)
                    : new ForkStep(branches, timeout, failoverOn, step.FinalStatus, step.FinalReason, AnswerTimeout: answerTimeout));
        }
        return RoutingDecision.Fork(new ForkPlan(steps));
    }

    /// <returns>
    /// The target's branches, whether it is an application that found no application server, and the status of a
    /// target whose host located no server (0 otherwise).
    /// </returns>
    private async Task<(IEnumerable<ForkBranch> Branches, bool NoApplicationServer, int UnresolvedStatus)> BranchesAsync(RouteTarget target, SipHeader[] headers,
        RequestFacts call)
    {
        switch (target.Kind)
        {
            case RouteTargetKind.User when target.User is { } user && target.Domain is { } domain:
                IReadOnlyList<Binding> bindings = await registrations.GetAsync(user, domain);
                var contacts = new List<ForkBranch>(bindings.Count);
                foreach (Binding binding in bindings)
                {
                    if (await ToContactAsync(binding, headers, call) is { } contact) contacts.Add(contact);
                }
                return (contacts, false, 0);

            // Only applications and parameters of the contract: the application layer runs exactly these
            // (VoipPlatform.Tests/Containers/AsteriskDialplanContractTests checks the dialplan against the same lists).
            case RouteTargetKind.Application when target.Application is { } application && ApplicationNames.All.Contains(application):
                Dictionary<string, string> parameters = new(StringComparer.Ordinal);
                foreach (var (name, value) in target.Parameters ?? new Dictionary<string, string>())
                {
                    string key = name.ToLowerInvariant();
                    if (ApplicationParameters.All.Contains(key)) parameters[key] = value;
                    else logger.LogWarning("Application parameter {Parameter} is not part of the contract: not sent", name);
                }
                parameters.TryAdd(ApplicationParameters.Caller, call.From.User);
                if (await applications.PickAsync(application == ApplicationNames.Conference ? RoomKey(parameters) : null) is not { } server)
                {
                    logger.LogWarning("No application server for {Application}: the branch is skipped", application);
                    return ([], true, 0);
                }
                SipHeader[] instructions = [new SipHeader(ApplicationHeaders.Application, application),
                    .. parameters.Select(p => new SipHeader(ApplicationHeaders.ForParameter(p.Key), p.Value)), .. headers];
                return ([new ForkBranch(server, $"sip:{application}@{server}", headers: instructions)], false, 0);

            case RouteTargetKind.Uri when target.Uri is { } uri:
                // Located per RFC 3263: an address at once, a name through DNS (SRV, then A/AAAA).
                SipServers located = await servers.ResolveAsync(Encoding.UTF8.GetBytes(uri), call.CallIdHash);
                if (located.IsLocated) return ([located.ToBranch(uri, headers: headers)], false, 0);
                logger.LogWarning("Target {Uri} locates no server: {Status} {Reason}", uri, located.Status, located.Reason);
                return ([], false, located.Status);

            default:
                logger.LogWarning("Unusable target in routing plan: {Target}", target);
                return ([], false, 0);
        }
    }

    /// <summary>
    /// What the members of one conference share, so they meet on one application server: the room within its
    /// domain (room 1 of two customers are two conferences, which may well sit on two servers).
    /// </summary>
    private static string? RoomKey(Dictionary<string, string> parameters) =>
        parameters.TryGetValue(ApplicationParameters.Room, out string? room)
            ? parameters.TryGetValue(ApplicationParameters.Domain, out string? domain) ? $"{domain}/{room}" : room
            : null;

    /// <summary>
    /// A branch to a registered Contact, through its Path when it registered through an edge proxy; the first hop
    /// located per RFC 3263 (the edge's Path entry is an address; a Contact may name a host).
    /// </summary>
    private async ValueTask<ForkBranch?> ToContactAsync(Binding binding, SipHeader[] headers, RequestFacts call)
    {
        string next = binding.Path.Count > 0 ? binding.Path[0] : binding.Contact;
        SipServers located = await servers.ResolveAsync(Encoding.UTF8.GetBytes(next), call.CallIdHash);
        if (!located.IsLocated)
        {
            logger.LogWarning("Cannot locate {Next} for binding {Contact}: {Reason}", next, binding.Contact, located.Reason);
            return null;
        }
        return located.ToBranch(binding.Contact, binding.Path, headers);
    }
}
