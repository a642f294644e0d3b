using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Domains;

/// <summary><c>/v1/domains</c>: the SIP realms the platform serves. The router asks <c>GET /v1/domains/{domain}</c>.</summary>
public static class DomainEndpoints
{
    private const string Tag = "Domains";
    private const int MaxDescriptionLength = 256;

    public static IEndpointRouteBuilder MapDomainEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains").WithTags(Tag);

        group.MapGet("/", async (DomainStore store) => TypedResults.Ok(await store.ListAsync()))
            .WithName("ListDomains")
            .WithSummary("List the served domains.");

        group.MapGet("/{domain}", async (string domain, DomainStore store) =>
                SipNames.TryNormalizeDomain(domain, out string name) && await store.GetAsync(name) is { } found
                    ? TypedResults.Ok(found)
                    : ApiProblems.DomainNotServed(domain))
            .WithName("GetDomain")
            .WithSummary("Get a domain: 200 when the platform serves it, 404 otherwise (the router's \"is this ours?\").")
            .Produces<DomainResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (CreateDomainRequest request, DomainStore store, TimeProvider time) =>
            {
                var errors = new ValidationErrors();
                if (!SipNames.TryNormalizeDomain(request.Name, out string name))
                {
                    errors.Add("name", "Required: a host name or IPv4 literal (letters, digits, '-' and '.').");
                }
                ValidateDescription(request.Description, errors);
                if (errors.HasErrors) return errors.ToResult();

                var domain = new DomainResponse(name, request.Description, time.GetUtcNow());
                return ApiProblems.From(await store.CreateAsync(domain), () => TypedResults.Created($"/v1/domains/{name}", domain));
            })
            .WithName("CreateDomain")
            .WithSummary("Serve a new domain (realm). 409 when it already exists.")
            .Produces<DomainResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{domain}", async (string domain, UpdateDomainRequest request, DomainStore store) =>
            {
                var errors = new ValidationErrors();
                ValidateDescription(request.Description, errors);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string name)) return ApiProblems.DomainNotServed(domain);

                var outcome = await store.UpdateAsync(name, request.Description);
                return outcome.Succeeded && await store.GetAsync(name) is { } updated
                    ? TypedResults.Ok(updated)
                    : ApiProblems.From(outcome, () => ApiProblems.DomainNotServed(domain));
            })
            .WithName("UpdateDomain")
            .WithSummary("Replace a domain's description.")
            .Produces<DomainResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{domain}", async (string domain, DomainStore store) =>
                SipNames.TryNormalizeDomain(domain, out string name)
                    ? ApiProblems.From(await store.DeleteAsync(name), TypedResults.NoContent)
                    : ApiProblems.DomainNotServed(domain))
            .WithName("DeleteDomain")
            .WithSummary("Stop serving a domain. 409 while it still has users or numbers (no cascade).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static void ValidateDescription(string? description, ValidationErrors errors)
    {
        if (description is not null && (description.Length > MaxDescriptionLength || !SipNames.IsPrintable(description)))
        {
            errors.Add("description", $"At most {MaxDescriptionLength} printable characters.");
        }
    }
}
