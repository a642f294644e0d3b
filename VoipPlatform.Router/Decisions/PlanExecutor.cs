using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Requests;
using VoipPlatform.Router.Routing;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// Turns the API's <see cref="RoutePlan"/> into the proxy core's <see cref="ForkPlan"/>: a user target becomes one
/// branch per registered Contact (through the Path it registered with), an application target a branch to an
/// application server carrying its instructions in headers, a URI target a branch to that URI. A step left without
/// a branch because no application server is available fails with 503 and Retry-After, so the caller hears why.
/// </summary>
public sealed class PlanExecutor(RegistrationStore registrations, ApplicationServers applications, IOptions<RouterOptions> options,
    ILogger<PlanExecutor> logger)
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
            foreach (RouteTarget target in step.Targets)
            {
                (IEnumerable<ForkBranch> targetBranches, bool noServer) = await BranchesAsync(target, stepHeaders, call);
                branches.AddRange(targetBranches);
                noApplicationServer |= noServer;
            }
            var timeout = TimeSpan.FromSeconds(Math.Max(0, step.TimeoutSeconds));
            IReadOnlyCollection<int> failoverOn = (step.FailoverOn ?? RouteStep.DefaultFailoverOn).ToArray();
            steps.Add(branches.Count == 0 && noApplicationServer
                // Nothing to ring because the application layer is down or empty: 503 with a reason and Retry-After
                // (a following step still runs when the plan fails over on 503).
                ? new ForkStep(branches, timeout, failoverOn, SipStatus.ServiceUnavailable, NoApplicationServerReason,
                    EmptyStatus: SipStatus.ServiceUnavailable, FinalHeaders: [Unavailable.RetryAfter(options.Value)])
                : new ForkStep(branches, timeout, failoverOn, step.FinalStatus, step.FinalReason));
        }
        return RoutingDecision.Fork(new ForkPlan(steps));
    }

    /// <returns>The target's branches, and whether it is an application that found no application server.</returns>
    private async Task<(IEnumerable<ForkBranch> Branches, bool NoApplicationServer)> BranchesAsync(RouteTarget target, SipHeader[] headers, RequestFacts call)
    {
        switch (target.Kind)
        {
            case RouteTargetKind.User when target.User is { } user && target.Domain is { } domain:
                IReadOnlyList<Binding> bindings = await registrations.GetAsync(user, domain);
                return (bindings.Select(b => ToContact(b, headers)).OfType<ForkBranch>().ToArray(), false);

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
                    return ([], true);
                }
                SipHeader[] instructions = [new SipHeader(ApplicationHeaders.Application, application),
                    .. parameters.Select(p => new SipHeader(ApplicationHeaders.ForParameter(p.Key), p.Value)), .. headers];
                return ([new ForkBranch(server, $"sip:{application}@{server}", headers: instructions)], false);

            case RouteTargetKind.Uri when target.Uri is { } uri && SipTargets.TryResolveUri(Encoding.UTF8.GetBytes(uri), out IPEndPoint? destination):
                return ([new ForkBranch(destination!, uri, headers: headers)], false);

            default:
                logger.LogWarning("Unusable target in routing plan: {Target}", target);
                return ([], false);
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

    /// <summary>A branch to a registered Contact, through its Path when it registered through an edge proxy.</summary>
    private ForkBranch? ToContact(Binding binding, SipHeader[] headers)
    {
        string next = binding.Path.Count > 0 ? binding.Path[0] : binding.Contact;
        if (!SipTargets.TryResolveUri(Encoding.UTF8.GetBytes(next), out IPEndPoint? destination))
        {
            logger.LogWarning("Cannot resolve {Next} for binding {Contact}", next, binding.Contact);
            return null;
        }
        return new ForkBranch(destination!, binding.Contact, binding.Path, headers);
    }
}
