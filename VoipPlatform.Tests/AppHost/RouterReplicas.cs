using System.Net;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Two router processes of a test's own (sharing the platform's Redis, API and nonce secret) behind an edge proxy
/// process of its own, so a test can kill or stop a router without touching the platform other tests share.
/// </summary>
public sealed class RouterReplicas : IAsyncDisposable
{
    private RouterReplicas(ServiceProcess first, ServiceProcess second, ServiceProcess edge, int firstPort, int secondPort, int edgePort)
    {
        (First, Second, Edge) = (first, second, edge);
        FirstEndPoint = new IPEndPoint(IPAddress.Loopback, firstPort);
        SecondEndPoint = new IPEndPoint(IPAddress.Loopback, secondPort);
        EdgeEndPoint = new IPEndPoint(IPAddress.Loopback, edgePort);
    }

    public ServiceProcess First { get; }

    public ServiceProcess Second { get; }

    public ServiceProcess Edge { get; }

    public IPEndPoint FirstEndPoint { get; }

    public IPEndPoint SecondEndPoint { get; }

    public IPEndPoint EdgeEndPoint { get; }

    /// <summary>Edge settings that name both routers (<c>Proxy:Routers</c>).</summary>
    public static Dictionary<string, string> ConfiguredRouters(int firstPort, int secondPort) => new()
    {
        ["Proxy__Routers__0"] = $"127.0.0.1:{firstPort}",
        ["Proxy__Routers__1"] = $"127.0.0.1:{secondPort}",
    };

    /// <summary>Starts two routers on free ports and an edge configured with both.</summary>
    public static Task<RouterReplicas> StartAsync(PlatformFixture platform)
    {
        int first = FreeSipPort.Next(), second = FreeSipPort.Next();
        return StartAsync(platform, first, second, ConfiguredRouters(first, second));
    }

    /// <summary>Starts routers on <paramref name="firstPort"/> and <paramref name="secondPort"/>, and an edge that finds them through <paramref name="edgeRouting"/>.</summary>
    public static async Task<RouterReplicas> StartAsync(PlatformFixture platform, int firstPort, int secondPort, Dictionary<string, string> edgeRouting)
    {
        int edgePort = FreeSipPort.Next();
        ServiceProcess first = await ServiceProcess.StartAsync("Router", await platform.RouterEnvironmentAsync(firstPort));
        ServiceProcess second = await ServiceProcess.StartAsync("Router", await platform.RouterEnvironmentAsync(secondPort));
        ServiceProcess edge = await ServiceProcess.StartAsync("Proxy", new Dictionary<string, string>(edgeRouting) { ["Sip__Port"] = edgePort.ToString() });
        return new RouterReplicas(first, second, edge, firstPort, secondPort, edgePort);
    }

    public async ValueTask DisposeAsync()
    {
        await Edge.DisposeAsync();
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
