using System.Globalization;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// redis-server run as a local process. It carries a connection string like the Redis container
/// resource does, so <c>WithReference(redis)</c> hands consumers <c>ConnectionStrings__redis</c>
/// in both modes and they cannot tell the difference.
/// </summary>
internal sealed class LocalRedisResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public string ConnectionString { get; } =
        $"{PlatformPorts.LoopbackAddress}:{port.ToString(CultureInfo.InvariantCulture)}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
