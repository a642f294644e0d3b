using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// RTPEngine, the media relay. It is no resource of its own: the media agent launches and supervises it (see
/// docs/media.md). Locally the agent runs the Debian <c>rtpengine</c> binary in userspace on loopback (this kernel
/// cannot load the forwarding module); in a published deployment the media image carries both.
/// </summary>
internal static class RtpEngineHostingExtensions
{
    private const string Command = "rtpengine";
    private const string Package = "rtpengine-daemon";

    // Settings of the media agent (MediaAgentOptions) that describe the RTPEngine it launches.
    private const string NgEndpointVariable = "MediaAgent__NgEndpoint";
    private const string ExecutableVariable = "MediaAgent__RtpEngine__Executable";
    private const string ExternalAddressVariable = "MediaAgent__RtpEngine__ExternalInterface__Address";
    private const string InternalAddressVariable = "MediaAgent__RtpEngine__InternalInterface__Address";
    private const string PortMinVariable = "MediaAgent__RtpEngine__UserspacePortMin";
    private const string PortMaxVariable = "MediaAgent__RtpEngine__UserspacePortMax";
    private const string FirstExtraArgumentVariable = "MediaAgent__RtpEngine__ExtraArguments__0";

    /// <summary>
    /// Locally a deleted session disappears at once, so session lists and the agent's drain reflect the calls that are
    /// up; RTPEngine's default (kept 30 s for late packets) stays for deployments.
    /// </summary>
    private const string NoDeleteDelay = "--delete-delay=0";

    /// <summary>True when the <c>rtpengine</c> binary is on PATH, so a local run has a media relay.</summary>
    public static bool IsInstalled => LocalExecutables.FindOnPath(Command) is not null;

    /// <summary>Where RTPEngine takes ng commands on this machine: the agent's <c>ng</c> endpoint.</summary>
    public static string NgAddress { get; } =
        $"{PlatformPorts.LoopbackAddress}:{PlatformPorts.RtpEngineNg.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The RTP port range RTPEngine uses locally, as <c>min-max</c>.</summary>
    public static string RtpPorts { get; } =
        $"{PlatformPorts.RtpPortMin.ToString(CultureInfo.InvariantCulture)}-{PlatformPorts.RtpPortMax.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The <c>ng</c> endpoint RTPEngine listens on (UDP, <see cref="PlatformPorts.RtpEngineNg"/>): not proxied, since
    /// Aspire's proxy is TCP-only and the proxy must reach the port RTPEngine really binds.
    /// </summary>
    public static IResourceBuilder<T> WithRtpEngineNgEndpoint<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(
            port: PlatformPorts.RtpEngineNg,
            targetPort: PlatformPorts.RtpEngineNg,
            scheme: "udp",
            name: PlatformEndpoints.Ng,
            isProxied: false,
            protocol: ProtocolType.Udp);

    /// <summary>
    /// Tells the agent how to launch RTPEngine on this machine: the binary found on PATH, both interfaces on loopback,
    /// the ng address and the platform's RTP port range. Without the binary the AppHost says so once at start; the
    /// agent runs anyway and reports unhealthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalRtpEngine(this IResourceBuilder<ProjectResource> agent)
    {
        agent.WithEnvironment(NgEndpointVariable, NgAddress)
            .WithEnvironment(ExternalAddressVariable, PlatformPorts.LoopbackAddress)
            .WithEnvironment(InternalAddressVariable, PlatformPorts.LoopbackAddress)
            .WithEnvironment(PortMinVariable, PlatformPorts.RtpPortMin.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(PortMaxVariable, PlatformPorts.RtpPortMax.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(FirstExtraArgumentVariable, NoDeleteDelay);

        if (LocalExecutables.FindOnPath(Command) is { } command)
        {
            return agent.WithEnvironment(ExecutableVariable, command);
        }
        agent.ApplicationBuilder.LogAtStartup(LogLevel.Warning,
            $"'{Command}' is not on PATH: '{agent.Resource.Name}' runs without RTPEngine and reports unhealthy. " +
            $"Install it with scripts/install-deps.sh (Debian package {Package}).");
        return agent;
    }
}
