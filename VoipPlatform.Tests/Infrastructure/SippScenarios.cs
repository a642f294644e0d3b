using System.Net;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>The SIPp scenarios under <c>Scenarios/</c>, with the hop addresses they check filled in.</summary>
public static class SippScenarios
{
    /// <summary>Writes the UAS and UAC scenarios for a call through <paramref name="proxy"/> then <paramref name="router"/>.</summary>
    public static (string Uas, string Uac) ThroughHops(IPEndPoint proxy, IPEndPoint router)
    {
        string directory = Directory.CreateTempSubdirectory("vp-sipp-").FullName;
        return (Write("uas-through-hops.xml", directory, proxy, router), Write("uac-record-route.xml", directory, proxy, router));
    }

    private static string Write(string name, string directory, IPEndPoint proxy, IPEndPoint router)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name))
            .Replace("PROXY_HOSTPORT", Escape(proxy))
            .Replace("ROUTER_HOSTPORT", Escape(router));
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Escape(IPEndPoint endPoint) => endPoint.ToString().Replace(".", "\\.");
}
