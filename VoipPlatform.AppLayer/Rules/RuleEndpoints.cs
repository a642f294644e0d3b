using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Users;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Rules;

/// <summary><c>/v1/domains/{domain}/users/{user}/rule</c>: one call-rule document per user.</summary>
public static class RuleEndpoints
{
    private const string Tag = "Rules";
    private const int MaxUriLength = 256;

    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains/{domain}/users/{user}/rule").WithTags(Tag);

        group.MapGet("/", async (string domain, string user, UserStore users, RuleStore rules) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidUser(user) && await users.GetAsync(realm, user) is not null
                    ? TypedResults.Ok(await rules.GetAsync(realm, user))
                    : UserNotFound(domain, user))
            .WithName("GetCallRule")
            .WithSummary("Get a user's call rule (mode Default when none is set).")
            .Produces<CallRule>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/", async (string domain, string user, CallRuleRequest request, RuleStore rules) =>
            {
                var errors = Validate(user, request);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm) || !SipNames.IsValidUser(user)) return UserNotFound(domain, user);

                var rule = new CallRule(user, realm, request.Mode!.Value, request.ForwardTo);
                return ApiProblems.From(await rules.PutAsync(rule), () => TypedResults.Ok(rule));
            })
            .WithName("PutCallRule")
            .WithSummary("Set a user's call rule: Default (ring, then voicemail), DoNotDisturb, or Forward to a user of the domain or a SIP URI.")
            .WithDescription("404 when the user does not exist; 400 naming forwardTo when it names a user that does not exist. Nothing is written then.")
            .Produces<CallRule>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/", async (string domain, string user, RuleStore rules) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidUser(user)
                    ? ApiProblems.From(await rules.PutAsync(CallRule.DefaultFor(user, realm)), TypedResults.NoContent)
                    : UserNotFound(domain, user))
            .WithName("DeleteCallRule")
            .WithSummary("Remove a user's call rule: back to Default.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static ValidationErrors Validate(string user, CallRuleRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Mode is null) errors.Add("mode", "Required: Default, DoNotDisturb or Forward.");
        if (request.Mode == CallRuleMode.Forward)
        {
            if (request.ForwardTo is not { } target)
            {
                errors.Add("forwardTo", "Required for mode Forward.");
            }
            else if (ForwardTarget.IsUri(target))
            {
                if (target.Length > MaxUriLength || !SipNames.IsValidSipUri(target))
                {
                    errors.Add("forwardTo", $"A SIP URI such as sip:bob@example.com, at most {MaxUriLength} characters, no spaces.");
                }
            }
            else if (!SipNames.IsValidUser(target))
            {
                errors.Add("forwardTo", "A user of the same domain (e.g. 1002) or a SIP URI (sip:bob@example.com).");
            }
            else if (target == user)
            {
                errors.Add("forwardTo", "A user cannot forward to itself.");
            }
        }
        else if (request.ForwardTo is not null)
        {
            errors.Add("forwardTo", "Only allowed with mode Forward.");
        }
        return errors;
    }

    private static IResult UserNotFound(string domain, string user) => ApiProblems.NotFound($"User {user}@{domain} does not exist.");
}
