using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VoipPlatform.Proxy.Routing;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Tests.Proxy.Routing;

/// <summary>The edge's router set, built the way the proxy builds it, from a test's routers.</summary>
public static class Routers
{
    /// <summary>Routers at fixed addresses (<c>Proxy:Routers</c>).</summary>
    public static RouterSet At(params IPEndPoint[] routers) =>
        new(Registry(new ServerLocatorOptions()), Options.Create(new EdgeRoutingOptions { Routers = routers.Select(r => r.ToString()).ToArray() }));

    /// <summary>Routers found by DNS SRV (<c>Proxy:RouterService</c>) on <paramref name="dns"/>.</summary>
    public static RouterSet FromDns(IPEndPoint dns, string service, TimeSpan answerTimeout) =>
        new(Registry(new ServerLocatorOptions { Server = dns.ToString() }),
            Options.Create(new EdgeRoutingOptions { RouterService = service, RouterAnswerTimeout = answerTimeout }));

    private static NextHopRegistry Registry(ServerLocatorOptions dns) =>
        new(new ConfigurationBuilder().Build(), Options.Create(new NextHopOptions()), Options.Create(dns), TimeProvider.System, NullLoggerFactory.Instance);
}
