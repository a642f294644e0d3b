using System.Globalization;
using System.Net.Sockets;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>SIP over UDP for the proxy and router projects, and over WebSocket for the proxy.</summary>
internal static class SipEndpointExtensions
{
    /// <summary>Name of the setting the SIP services read their listening port from.</summary>
    private const string SipPortVariable = "Sip__Port";

    /// <summary>Name of the setting the SIP services read their WebSocket port from.</summary>
    private const string WebSocketPortVariable = "Sip__WebSocketPort";

    /// <summary>
    /// Adds the <c>sip</c> UDP endpoint on a fixed port and tells the service to bind it. Not proxied:
    /// Aspire's proxy is TCP-only, and SIP peers must see the port the process really listens on.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSipEndpoint(this IResourceBuilder<ProjectResource> builder, int port) =>
        builder
            .WithEndpoint(
                port: port,
                targetPort: port,
                scheme: "udp",
                name: PlatformEndpoints.Sip,
                isProxied: false,
                protocol: ProtocolType.Udp)
            .WithEnvironment(SipPortVariable, port.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Adds the <c>sipWs</c> endpoint (SIP over WebSocket, RFC 7118, for browsers) on a fixed port and tells the service
    /// to listen there. Not proxied: the SIP core answers the HTTP upgrade itself, and a flow is the browser's own
    /// connection to the process.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSipWebSocketEndpoint(this IResourceBuilder<ProjectResource> builder, int port) =>
        builder
            .WithEndpoint(
                port: port,
                targetPort: port,
                scheme: "ws",
                name: PlatformEndpoints.SipWebSocket,
                isProxied: false)
            .WithEnvironment(WebSocketPortVariable, port.ToString(CultureInfo.InvariantCulture));
}
