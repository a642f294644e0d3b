namespace VoipPlatform.AppHost.Hosting;

/// <summary>The demo domain, users and numbers (docs/business-logic-api.md, "Seed data").</summary>
internal static class DemoDataExtensions
{
    private const string SeedSetting = "VoipPlatform:SeedDemoData";

    /// <summary>
    /// Seeds the demo data when the API starts, so a new user can register two softphones and call at once. On by
    /// default in a local run; <c>VoipPlatform:SeedDemoData=false</c> turns it off. Seeding is idempotent. Never in a
    /// published deployment: production must not get users with known passwords.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDemoData(this IResourceBuilder<ProjectResource> api)
    {
        bool seed = api.ApplicationBuilder.ExecutionContext.IsRunMode
            && !string.Equals(api.ApplicationBuilder.Configuration[SeedSetting], "false", StringComparison.OrdinalIgnoreCase);
        return seed ? api.WithEnvironment("AppLayer__SeedDemoData", "true") : api;
    }
}
