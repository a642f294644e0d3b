using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>Redis (registrations, logic data): a container when one can run, else the local redis-server.</summary>
internal static class RedisHostingExtensions
{
    private const string Command = "redis-server";

    /// <returns>The Redis resource, or null when neither a container nor the binary is available.</returns>
    public static IResourceBuilder<IResourceWithConnectionString>? AddPlatformRedis(
        this IDistributedApplicationBuilder builder, string name, ContainerRuntimeStatus runtime)
    {
        if (runtime.IsAvailable)
        {
            return builder.AddRedis(name, port: PlatformPorts.Redis);
        }

        var command = LocalExecutables.FindOnPath(Command);
        if (command is null)
        {
            builder.LogAtStartup(LogLevel.Warning, LocalExecutables.MissingMessage(
                name, Command, "redis-server", "applayer cannot start without it"));
            return null;
        }

        var redis = new LocalRedisResource(name, command, Path.GetTempPath(), PlatformPorts.Redis);
        var healthCheckKey = $"{name}_check";

        // Same check Aspire's Redis container integration registers, against the local process.
        builder.Services.AddHealthChecks().AddRedis(redis.ConnectionString, name: healthCheckKey);

        return builder.AddResource(redis)
            .WithArgs(
                "--bind", PlatformPorts.LoopbackAddress,
                "--port", redis.Port.ToString(CultureInfo.InvariantCulture),
                // A dev/test cache: no RDB snapshots, no AOF, nothing left behind on disk.
                "--save", "",
                "--appendonly", "no")
            // Shown in the dashboard; not proxied, the process binds the port itself.
            .WithEndpoint(PlatformEndpoints.Tcp, endpoint =>
            {
                endpoint.Port = redis.Port;
                endpoint.TargetPort = redis.Port;
                endpoint.IsProxied = false;
                endpoint.UriScheme = PlatformEndpoints.Tcp;
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database");
    }
}
