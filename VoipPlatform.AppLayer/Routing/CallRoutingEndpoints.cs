using VoipPlatform.AppLayer.Validation;
using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.AppLayer.Routing;

/// <summary><c>POST /v1/calls/route</c>: the router's per-call question.</summary>
public static class CallRoutingEndpoints
{
    private const string Tag = "Calls";

    public static IEndpointRouteBuilder MapCallRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/calls/route", async (CallRouteRequest request, RoutePlanner planner) =>
            {
                var errors = Validate(request);
                return errors.HasErrors ? errors.ToResult() : TypedResults.Ok(await planner.PlanAsync(request));
            })
            .WithTags(Tag)
            .WithName("RouteCall")
            .WithSummary("Decide what happens to a new call: a plan of serial steps of parallel targets, or a final status.")
            .WithDescription("Always 200 with a RoutePlan for a well-formed request; a rejected call is a plan with status "
                + "(404 unknown callee, 403 disabled user or relay denied, 486 do-not-disturb without voicemail). "
                + "See docs/business-logic-api.md for every plan with examples.")
            .Produces<RoutePlan>()
            .ProducesValidationProblem();
        return app;
    }

    /// <summary>Records are bound without checking non-nullable members; a router bug must be a 400, not a 500.</summary>
    private static ValidationErrors Validate(CallRouteRequest request)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.CallId)) errors.Add("callId", "Required.");
        if (request.Caller is null) errors.Add("caller", "Required.");
        else if (request.Caller.User is null || request.Caller.Domain is null) errors.Add("caller", "user and domain are required.");
        if (request.Callee is null) errors.Add("callee", "Required.");
        else if (request.Callee.User is null || request.Callee.Domain is null) errors.Add("callee", "user and domain are required.");
        if (string.IsNullOrEmpty(request.RequestUri)) errors.Add("requestUri", "Required.");
        return errors;
    }
}
