using System.Net.Sockets;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Asterisk application servers (voicemail, conference, IVR). Not packaged in Debian 12, so only
/// a container; <c>containers/asterisk</c> is a placeholder image that a later issue fills in.
/// </summary>
internal static class AsteriskHostingExtensions
{
    public static IResourceBuilder<ContainerResource> AddAsterisk(this IDistributedApplicationBuilder builder, string name)
    {
        var contextPath = Path.Combine(builder.AppHostDirectory, "..", "containers", "asterisk");
        return builder.AddDockerfile(name, contextPath)
            .WithEndpoint(
                port: PlatformPorts.AsteriskSip,
                targetPort: PlatformPorts.AsteriskSip,
                scheme: "udp",
                name: PlatformEndpoints.Sip,
                isProxied: false,
                protocol: ProtocolType.Udp);
    }
}
