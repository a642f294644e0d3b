using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// RTPEngine, the media relay. With a runtime it is built from <c>containers/rtpengine</c>; without
/// one the Debian <c>rtpengine</c> binary runs in userspace (the kernel module cannot load here).
/// Both expose the ng control protocol on <see cref="PlatformPorts.RtpEngineNg"/>/udp on the host.
/// </summary>
internal static class RtpEngineHostingExtensions
{
    private const string Command = "rtpengine";

    /// <summary>The ng address the media agent talks to; identical in both modes.</summary>
    public static string NgAddress { get; } =
        $"{PlatformPorts.LoopbackAddress}:{PlatformPorts.RtpEngineNg.ToString(CultureInfo.InvariantCulture)}";

    /// <returns>The RTPEngine resource, or null when neither a container nor the binary is available.</returns>
    public static IResourceBuilder<IResourceWithEndpoints>? AddRtpEngine(
        this IDistributedApplicationBuilder builder, string name, ContainerRuntimeStatus runtime)
    {
        if (runtime.IsAvailable)
        {
            var contextPath = Path.Combine(builder.AppHostDirectory, "..", "containers", "rtpengine");
            return builder.AddDockerfile(name, contextPath)
                .WithEnvironment("RTP_PORT_MIN", PlatformPorts.RtpPortMin.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("RTP_PORT_MAX", PlatformPorts.RtpPortMax.ToString(CultureInfo.InvariantCulture))
                .WithNgEndpoint();
        }

        var command = LocalExecutables.FindOnPath(Command);
        if (command is null)
        {
            builder.LogAtStartup(LogLevel.Warning, LocalExecutables.MissingMessage(
                name, Command, "rtpengine-daemon", "mediaagent will report unhealthy"));
            return null;
        }

        return builder.AddExecutable(name, command, Path.GetTempPath(),
                $"--interface={PlatformPorts.LoopbackAddress}",
                $"--listen-ng={NgAddress}",
                "--foreground",
                "--log-stderr",
                // -1: no kernel forwarding table; userspace relay only (no kernel module on dev boxes).
                "--table=-1",
                $"--port-min={PlatformPorts.RtpPortMin.ToString(CultureInfo.InvariantCulture)}",
                $"--port-max={PlatformPorts.RtpPortMax.ToString(CultureInfo.InvariantCulture)}")
            .WithNgEndpoint();
    }

    private static IResourceBuilder<T> WithNgEndpoint<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(
            port: PlatformPorts.RtpEngineNg,
            targetPort: PlatformPorts.RtpEngineNg,
            scheme: "udp",
            name: PlatformEndpoints.Ng,
            isProxied: false,
            protocol: ProtocolType.Udp);
}
