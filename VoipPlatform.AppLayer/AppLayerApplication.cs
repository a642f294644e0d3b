using Scalar.AspNetCore;
using VoipPlatform.AppLayer.Domains;
using VoipPlatform.AppLayer.Ivr;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Routing;
using VoipPlatform.AppLayer.Rules;
using VoipPlatform.AppLayer.Seeding;
using VoipPlatform.AppLayer.Status;
using VoipPlatform.AppLayer.Users;
using VoipPlatform.AppLayer.Voicemail;

namespace VoipPlatform.AppLayer;

/// <summary>
/// Builds the logic API. Program.cs only runs it; tests build the very same application in-process (Kestrel on a
/// loopback port, Redis from <c>ConnectionStrings:redis</c>), so what is tested is what runs.
/// </summary>
public static class AppLayerApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Stable even when a test host is the entry assembly (it names the tracing source, among others).
            ApplicationName = typeof(AppLayerApplication).Assembly.GetName().Name,
        });

        builder.AddServiceDefaults();
        // Connection string "redis" comes from the AppHost (container or local redis-server alike);
        // the integration also adds a Redis health check to /health.
        // Commands are traced only when traces are exported (see ServiceDefaults).
        builder.AddRedisClient("redis", settings => settings.DisableTracing |= !builder.ExportsTelemetry());
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw, so BadRequestExceptionHandler can answer them as problem+json naming the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Absent rather than null: plans and resources read better, and every contract member that may be null has a default.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        builder.Services.Configure<SeedOptions>(builder.Configuration.GetSection(SeedOptions.SectionName));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisProbe>();
        builder.Services.AddSingleton<DomainStore>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<RuleStore>();
        builder.Services.AddSingleton<NumberStore>();
        builder.Services.AddSingleton<IvrMenuStore>();
        builder.Services.AddSingleton<RoutePlanner>();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddHostedService<SeedOnStartup>();

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();         // bare 404/405 from routing become problem+json too

        app.MapOpenApi();                 // /openapi/v1.json
        app.MapScalarApiReference();      // /scalar
        app.MapDefaultEndpoints();
        app.MapStatusEndpoints();
        app.MapDomainEndpoints();
        app.MapUserEndpoints();
        app.MapRuleEndpoints();
        app.MapNumberEndpoints();
        app.MapCallRoutingEndpoints();
        app.MapSeedEndpoints();
        app.MapVoicemailDirectoryEndpoints();
        app.MapIvrMenuEndpoints();
        return app;
    }
}
