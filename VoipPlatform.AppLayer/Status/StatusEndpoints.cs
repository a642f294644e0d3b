using System.Reflection;

namespace VoipPlatform.AppLayer.Status;

/// <summary><c>/v1/status</c>: a cheap "is the logic API and its store alive" view for humans and tests.</summary>
public static class StatusEndpoints
{
    private const string ServiceName = "applayer";

    private static readonly string Version =
        typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/status", async (RedisProbe probe, CancellationToken cancellationToken) =>
                TypedResults.Ok(new StatusResponse(ServiceName, Version, await probe.PingAsync(cancellationToken))))
            .WithName("GetStatus")
            .WithSummary("Service status, including whether Redis answers PING.")
            .WithTags("Status");
        return app;
    }
}
