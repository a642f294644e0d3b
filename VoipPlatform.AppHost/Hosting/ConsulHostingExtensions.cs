using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Consul: the service registry every service registers itself with, and DNS SRV for next-hop discovery. The official
/// container when a runtime works; else a local <c>consul agent -dev</c> when a <c>consul</c> binary is on PATH (Consul
/// is not packaged in Debian); else no Consul, and services use the endpoints Aspire injects.
/// </summary>
internal static class ConsulHostingExtensions
{
    private const string Image = "hashicorp/consul";
    private const string ImageTag = "1.20";
    private const string Command = "consul";

    /// <summary>Consul's answer to this is 200 once its HTTP API is up.</summary>
    private const string HealthPath = "/v1/status/leader";

    // Settings read by the service defaults' Consul registration (ConsulRegistrationOptions).
    private const string ServiceNameVariable = "Consul__Service__Name";
    private const string ServicePortVariable = "Consul__Service__Port";
    private const string ServiceTagsVariablePrefix = "Consul__Service__Tags__";

    // Settings read by the proxy's next-hop discovery (EdgeRoutingOptions, ServerLocatorOptions).
    private const string RouterServiceVariable = "Proxy__RouterService";
    private const string DnsServerVariable = "Sip__Dns__Server";

    /// <summary>SIP services listen on UDP and TCP on the same port; the tags let DNS select by transport.</summary>
    private static readonly string[] SipTransportTags = ["udp", "tcp"];

    /// <returns>The Consul resource, or null when neither a container nor the binary is available.</returns>
    public static IResourceBuilder<IResourceWithEndpoints>? AddPlatformConsul(
        this IDistributedApplicationBuilder builder, string name, ContainerRuntimeStatus runtime)
    {
        if (runtime.IsAvailable)
        {
            return builder.AddContainer(name, Image, ImageTag)
                // Single-node dev agent: in-memory, no ACLs, server + client in one; listen on all container
                // interfaces so the published ports reach it.
                .WithArgs("agent", "-dev", "-client", "0.0.0.0")
                .WithHttpEndpoint(port: PlatformPorts.ConsulHttp, targetPort: PlatformPorts.ConsulHttp, name: PlatformEndpoints.Http)
                .WithDnsEndpoint()
                .WithHttpHealthCheck(HealthPath, endpointName: PlatformEndpoints.Http);
        }

        var command = LocalExecutables.FindOnPath(Command);
        if (command is null)
        {
            builder.LogAtStartup(LogLevel.Information,
                $"No container runtime ({runtime.Reason}) and no '{Command}' on PATH: {name} is left out of this run. " +
                "Services do not register anywhere and take their next hops from the endpoints Aspire injects.");
            return null;
        }

        return builder.AddExecutable(name, command, Path.GetTempPath(),
                // Dev agent as in the container, on loopback only; it binds its ports itself (not proxied).
                "agent", "-dev",
                "-client", PlatformPorts.LoopbackAddress,
                "-http-port", PlatformPorts.ConsulHttp.ToString(CultureInfo.InvariantCulture),
                "-dns-port", PlatformPorts.ConsulDns.ToString(CultureInfo.InvariantCulture))
            .WithHttpEndpoint(port: PlatformPorts.ConsulHttp, targetPort: PlatformPorts.ConsulHttp, name: PlatformEndpoints.Http, isProxied: false)
            .WithDnsEndpoint()
            .WithHttpHealthCheck(HealthPath, endpointName: PlatformEndpoints.Http);
    }

    /// <summary>
    /// Has the service register itself with Consul as <paramref name="serviceName"/>, at the port of its
    /// <paramref name="endpointName"/> endpoint (SIP endpoints also get the <c>udp</c> and <c>tcp</c> tags): gives it
    /// the agent address (<c>services__consul__http__0</c>) and its <c>Consul__Service__*</c> settings. Replicas
    /// share the name and differ by port. Nothing when there is no Consul: the service then logs that once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConsulRegistration(this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<IResourceWithEndpoints>? consul, string serviceName, string endpointName)
    {
        if (consul is null)
        {
            return builder;
        }

        // No WaitFor: services register in the background and retry until the agent answers.
        builder.WithReference(consul.GetEndpoint(PlatformEndpoints.Http))
            .WithEnvironment(ServiceNameVariable, serviceName)
            .WithEnvironment(ServicePortVariable, builder.GetEndpoint(endpointName).Property(EndpointProperty.Port));
        if (endpointName == PlatformEndpoints.Sip)
        {
            for (int i = 0; i < SipTransportTags.Length; i++)
            {
                builder.WithEnvironment(ServiceTagsVariablePrefix + i.ToString(CultureInfo.InvariantCulture), SipTransportTags[i]);
            }
        }
        return builder;
    }

    /// <summary>
    /// With Consul present, the proxy finds the routers in Consul's DNS (SRV <c>_router._udp.service.consul</c>, the
    /// RFC 2782 form Consul answers for instances tagged <c>udp</c>) instead of the list Aspire injects: a router
    /// replica started anywhere is used as soon as it registers, and one draining or failing its health checks is
    /// left out. Without Consul, nothing changes.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRoutersFromConsul(this IResourceBuilder<ProjectResource> proxy,
        IResourceBuilder<IResourceWithEndpoints>? consul)
    {
        if (consul is null)
        {
            return proxy;
        }
        return proxy
            .WithEnvironment(RouterServiceVariable, $"_{ConsulServiceNames.Router}._{SipTransportTags[0]}.service.consul")
            .WithEnvironment(DnsServerVariable, $"{PlatformPorts.LoopbackAddress}:{PlatformPorts.ConsulDns.ToString(CultureInfo.InvariantCulture)}");
    }

    private static IResourceBuilder<T> WithDnsEndpoint<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints =>
        builder.WithEndpoint(
            port: PlatformPorts.ConsulDns,
            targetPort: PlatformPorts.ConsulDns,
            scheme: "udp",
            name: PlatformEndpoints.Dns,
            isProxied: false,
            protocol: ProtocolType.Udp);
}

/// <summary>
/// The names services register under in Consul: <c>&lt;name&gt;.service.consul</c> in its DNS. Both router replicas
/// share <see cref="Router"/>.
/// </summary>
internal static class ConsulServiceNames
{
    public const string Router = "router";
    public const string Proxy = "proxy";
    public const string AppLayer = "applayer";
    public const string Media = "media";
}
