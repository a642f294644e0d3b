using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Numbers;

/// <summary><c>/v1/domains/{domain}/numbers</c>: DIDs and short codes leading to a user or an application.</summary>
public static class NumberEndpoints
{
    private const string Tag = "Numbers";

    public static IEndpointRouteBuilder MapNumberEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains/{domain}/numbers").WithTags(Tag);

        group.MapGet("/", async (string domain, NumberStore store) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && await store.ListAsync(realm) is { } numbers
                    ? TypedResults.Ok(numbers)
                    : ApiProblems.DomainNotServed(domain))
            .WithName("ListNumbers")
            .WithSummary("List a domain's numbers.")
            .Produces<IReadOnlyList<NumberResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{number}", async (string domain, string number, NumberStore store) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidNumber(number) && await store.GetAsync(realm, number) is { } found
                    ? TypedResults.Ok(found)
                    : NumberNotFound(domain, number))
            .WithName("GetNumber")
            .WithSummary("Get a number.")
            .Produces<NumberResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string domain, NumberRequest request, NumberStore store) =>
            {
                var errors = NumberValidation.Validate(request, numberFromPath: null);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm)) return ApiProblems.DomainNotServed(domain);

                var number = ToNumber(realm, request.Number!, request);
                return ApiProblems.From(await store.CreateAsync(number),
                    () => TypedResults.Created($"/v1/domains/{realm}/numbers/{number.Number}", number));
            })
            .WithName("CreateNumber")
            .WithSummary("Create a number leading to a user or to an application.")
            .WithDescription("400 naming user when the target user does not exist (nothing is written); 404 when the domain is not served; "
                + "409 when the number, or a user with the same name, exists.")
            .Produces<NumberResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{number}", async (string domain, string number, NumberRequest request, NumberStore store) =>
            {
                var errors = NumberValidation.Validate(request, number);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm) || !SipNames.IsValidNumber(number)) return NumberNotFound(domain, number);

                var replaced = ToNumber(realm, number, request);
                return ApiProblems.From(await store.ReplaceAsync(replaced), () => TypedResults.Ok(replaced));
            })
            .WithName("ReplaceNumber")
            .WithSummary("Change where an existing number leads.")
            .Produces<NumberResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{number}", async (string domain, string number, NumberStore store) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidNumber(number)
                    ? ApiProblems.From(await store.DeleteAsync(realm, number), TypedResults.NoContent)
                    : NumberNotFound(domain, number))
            .WithName("DeleteNumber")
            .WithSummary("Delete a number.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/v1/applications", () => TypedResults.Ok(ApplicationCatalog.All))
            .WithTags(Tag)
            .WithName("ListApplications")
            .WithSummary("The applications a number can lead to, with their required and optional parameters.");

        return app;
    }

    private static NumberResponse ToNumber(string domain, string number, NumberRequest request) =>
        new(number, domain, request.User, request.Application,
            request.Application is null ? null : new Dictionary<string, string>(request.Parameters ?? [], StringComparer.Ordinal));

    private static IResult NumberNotFound(string domain, string number) => ApiProblems.NotFound($"Number {number} of {domain} does not exist.");
}
