using System.Security.Cryptography;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>The routing layer: stateless replicas that share Redis, the logic API and the digest nonce secret.</summary>
internal static class RouterHostingExtensions
{
    /// <summary>Resources whose name starts with this are routers: the proxy spreads new calls over all of them.</summary>
    public const string NamePrefix = "router";

    private const string NonceSecretParameter = "sip-nonce-secret";
    private const string ApplicationServersSetting = "VoipPlatform:ApplicationServers";

    /// <summary>
    /// The secret every router signs digest nonces with, so a nonce one replica issued verifies on another: the
    /// configured <c>Parameters:sip-nonce-secret</c>, else 32 random bytes made once per AppHost run.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddNonceSecret(this IDistributedApplicationBuilder builder)
    {
        string? configured = builder.Configuration[$"Parameters:{NonceSecretParameter}"];
        var generated = new Lazy<string>(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return builder.AddParameter(NonceSecretParameter, () => configured ?? generated.Value, secret: true);
    }

    /// <summary>
    /// One router replica on its own SIP port. Application servers come from the Asterisk resource when there is
    /// one, else from <c>VoipPlatform:ApplicationServers</c> (e.g. a SIPp standing in for Asterisk in tests).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddRouter(this IDistributedApplicationBuilder builder, string name, int sipPort,
        IResourceBuilder<ProjectResource> logicApi, IResourceBuilder<IResourceWithConnectionString>? redis,
        IResourceBuilder<ParameterResource> nonceSecret, IResourceBuilder<ContainerResource>? asterisk)
    {
        var router = builder.AddProject<Projects.VoipPlatform_Router>(name)
            .WithSipEndpoint(sipPort)
            .WithReference(logicApi)
            .WithReferenceIfPresent(redis)
            .WithEnvironment("Sip__Digest__NonceSecret", nonceSecret)
            .WithEndpointReferenceIfPresent(asterisk, PlatformEndpoints.Sip)
            .WithHttpHealthCheck("/health");
        string[] applicationServers = builder.Configuration.GetSection(ApplicationServersSetting).GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        for (int i = 0; i < applicationServers.Length; i++)
        {
            router.WithEnvironment($"Router__ApplicationServers__{i}", applicationServers[i]);
        }
        return router;
    }

    /// <summary>The proxy forwards new calls to every router given.</summary>
    public static IResourceBuilder<ProjectResource> WithRouters(this IResourceBuilder<ProjectResource> proxy,
        params IResourceBuilder<ProjectResource>[] routers)
    {
        foreach (var router in routers) proxy.WithReference(router.GetEndpoint(PlatformEndpoints.Sip));
        return proxy;
    }
}
