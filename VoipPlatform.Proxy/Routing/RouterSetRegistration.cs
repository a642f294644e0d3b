using VoipPlatform.Sip.Location;

namespace VoipPlatform.Proxy.Routing;

/// <summary>Chooses where the edge finds its routers.</summary>
internal static class RouterSetRegistration
{
    /// <summary>DNS SRV when <c>Proxy:RouterService</c> is set (with <c>Sip:Dns</c>), else the static list.</summary>
    public static IServiceCollection AddRouterSet(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{EdgeRoutingOptions.SectionName}:{nameof(EdgeRoutingOptions.RouterService)}"]))
        {
            return services.AddSingleton<IRouterSet, StaticRouterSet>();
        }
        services.AddOptions<ServerLocatorOptions>().Bind(configuration.GetSection(ServerLocatorOptions.SectionName));
        services.AddSingleton<ServerLocator>();
        return services.AddSingleton<IRouterSet, DnsRouterSet>();
    }
}
