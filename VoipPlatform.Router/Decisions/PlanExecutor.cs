using System.Net;
using System.Text;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// Turns the API's <see cref="RoutePlan"/> into the proxy core's <see cref="ForkPlan"/>: a user target becomes one
/// branch per registered Contact (through the Path it registered with), an application target a branch to an
/// application server carrying its instructions in headers, a URI target a branch to that URI.
/// </summary>
public sealed class PlanExecutor(RegistrationStore registrations, ApplicationServers applications, ILogger<PlanExecutor> logger)
{
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
            foreach (RouteTarget target in step.Targets)
            {
                branches.AddRange(await BranchesAsync(target, stepHeaders, call));
            }
            steps.Add(new ForkStep(branches, TimeSpan.FromSeconds(Math.Max(0, step.TimeoutSeconds)),
                (step.FailoverOn ?? RouteStep.DefaultFailoverOn).ToArray(), step.FinalStatus, step.FinalReason));
        }
        return RoutingDecision.Fork(new ForkPlan(steps));
    }

    private async Task<IEnumerable<ForkBranch>> BranchesAsync(RouteTarget target, SipHeader[] headers, RequestFacts call)
    {
        switch (target.Kind)
        {
            case RouteTargetKind.User when target.User is { } user && target.Domain is { } domain:
                IReadOnlyList<Binding> bindings = await registrations.GetAsync(user, domain);
                return bindings.Select(b => ToContact(b, headers)).OfType<ForkBranch>().ToArray();

            case RouteTargetKind.Application when target.Application is { } application:
                Dictionary<string, string> parameters = new(target.Parameters ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
                parameters.TryAdd(ApplicationParameters.Caller, call.From.User);
                parameters.TryGetValue(ApplicationParameters.Room, out string? room);
                if (await applications.PickAsync(application == ApplicationNames.Conference ? room : null) is not { } server)
                {
                    logger.LogWarning("No application server for {Application}: the branch is skipped", application);
                    return [];
                }
                SipHeader[] instructions = [new SipHeader(ApplicationHeaders.Application, application),
                    .. parameters.Select(p => new SipHeader(ApplicationHeaders.ParameterPrefix + HeaderCase(p.Key), p.Value)), .. headers];
                return [new ForkBranch(server, $"sip:{application}@{server}", headers: instructions)];

            case RouteTargetKind.Uri when target.Uri is { } uri && SipTargets.TryResolveUri(Encoding.UTF8.GetBytes(uri), out IPEndPoint? destination):
                return [new ForkBranch(destination!, uri, headers: headers)];

            default:
                logger.LogWarning("Unusable target in routing plan: {Target}", target);
                return [];
        }
    }

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

    /// <summary><c>max-members</c> → <c>Max-Members</c>.</summary>
    private static string HeaderCase(string name) =>
        string.Join('-', name.Split('-', '_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));
}
