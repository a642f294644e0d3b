using System.Net.Sockets;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Consul: service registry and DNS SRV for next-hop discovery. Only the official container image
/// exists (no Debian package), so it is modelled only when a container runtime is available.
/// </summary>
internal static class ConsulHostingExtensions
{
    private const string Image = "hashicorp/consul";
    private const string ImageTag = "1.20";

    public static IResourceBuilder<ContainerResource> AddConsul(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddContainer(name, Image, ImageTag)
            // Single-node dev agent: in-memory, no ACLs, server + client in one; listen on all
            // container interfaces so the published ports reach it.
            .WithArgs("agent", "-dev", "-client", "0.0.0.0")
            .WithHttpEndpoint(port: PlatformPorts.ConsulHttp, targetPort: PlatformPorts.ConsulHttp, name: PlatformEndpoints.Http)
            .WithEndpoint(
                port: PlatformPorts.ConsulDns,
                targetPort: PlatformPorts.ConsulDns,
                scheme: "udp",
                name: PlatformEndpoints.Dns,
                isProxied: false,
                protocol: ProtocolType.Udp)
            // A leader exists once the dev agent has elected itself and can take registrations.
            .WithHttpHealthCheck("/v1/status/leader", endpointName: PlatformEndpoints.Http);
}
