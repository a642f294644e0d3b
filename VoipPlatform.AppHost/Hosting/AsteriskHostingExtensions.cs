using System.Net.Sockets;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Asterisk application servers (voicemail, conference, IVR, playback, echo), built from <c>containers/asterisk</c>
/// (docs/application-layer.md). Not packaged in Debian 12, so only a container.
/// </summary>
internal static class AsteriskHostingExtensions
{
    /// <summary>Named volume every instance mounts: any instance takes a message, any plays it back.</summary>
    public const string VoicemailVolume = "voipplatform-voicemail";

    /// <summary>Where the image keeps voicemail (app_voicemail's spool, <c>astspooldir</c>/voicemail).</summary>
    public const string VoicemailPath = "/var/spool/asterisk/voicemail";

    // Read by containers/asterisk/entrypoint.sh.
    private const string ApiUrlVariable = "VP_API_URL";
    private const string ConsulAddressVariable = "CONSUL_HTTP_ADDR";

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
                protocol: ProtocolType.Udp)
            .WithEndpoint(
                port: PlatformPorts.AsteriskSip,
                targetPort: PlatformPorts.AsteriskSip,
                scheme: "tcp",
                name: PlatformEndpoints.Tcp,
                isProxied: false)
            .WithVolume(VoicemailVolume, VoicemailPath);
    }

    /// <summary>
    /// What the Asterisk bootstrap needs from the rest of the platform: the logic API its dialplan asks (IVR menus,
    /// mailboxes) and, when there is one, the Consul agent it registers with. Nothing when Asterisk is left out.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? WithApplicationLayerSettings(this IResourceBuilder<ContainerResource>? asterisk,
        IResourceBuilder<ProjectResource> applayer, IResourceBuilder<IResourceWithEndpoints>? consul)
    {
        if (asterisk is null)
        {
            return null;
        }
        asterisk.WithEnvironment(ApiUrlVariable, applayer.GetEndpoint(PlatformEndpoints.Http));
        if (consul is not null)
        {
            asterisk.WithEnvironment(ConsulAddressVariable, consul.GetEndpoint(PlatformEndpoints.Http));
        }
        return asterisk;
    }
}
