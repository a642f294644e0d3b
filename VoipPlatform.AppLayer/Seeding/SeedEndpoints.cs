using Microsoft.Extensions.Options;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Seeding;

/// <summary><c>POST /v1/admin/seed</c>: create the demo data on demand.</summary>
public static class SeedEndpoints
{
    private const string Tag = "Admin";

    public static IEndpointRouteBuilder MapSeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/seed", async (string? domain, DemoSeeder seeder, IOptions<SeedOptions> options) =>
            {
                if (!SipNames.TryNormalizeDomain(domain ?? options.Value.SeedDomain, out string name))
                {
                    return ValidationErrors.Single("domain", "A host name or IPv4 literal.");
                }
                return TypedResults.Ok(await seeder.SeedAsync(name));
            })
            .WithTags(Tag)
            .WithName("SeedDemoData")
            .WithSummary("Create the demo domain, users 1001-1003 (password secret<ext>) and numbers 8000 (voicemail), 8100 (conference), 8200 (echo).")
            .WithDescription("Idempotent: existing resources are reported and left untouched. The domain is ?domain=, else AppLayer:SeedDomain (voip.local).")
            .Produces<SeedResult>()
            .ProducesValidationProblem();
        return app;
    }
}
