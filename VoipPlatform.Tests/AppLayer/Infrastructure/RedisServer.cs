using System.Net;
using System.Net.Sockets;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppLayer.Infrastructure;

/// <summary>
/// A real Redis (Debian <c>redis-server</c>) on a free loopback port, persistence off, owned by the test: started
/// here, stopped by its PID. Nothing is shared with a Redis the platform or the machine may run.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly LoopbackServerProcess _process;

    private RedisServer(LoopbackServerProcess process) => _process = process;

    public IPEndPoint EndPoint => _process.EndPoint;

    /// <summary>The StackExchange.Redis / Aspire connection string.</summary>
    public string ConnectionString => $"{EndPoint.Address}:{EndPoint.Port}";

    /// <param name="port">A free port when null; the port of a stopped server to play its restart.</param>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        port ??= FreeTcpPort();
        string[] arguments = ["--port", port.Value.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"];
        return new RedisServer(await LoopbackServerProcess.StartAsync("redis-server", arguments, port.Value, "redis-server"));
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
