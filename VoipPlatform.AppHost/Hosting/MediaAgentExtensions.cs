namespace VoipPlatform.AppHost.Hosting;

/// <summary>Points the media agent at RTPEngine's ng control port.</summary>
internal static class MediaAgentExtensions
{
    private const string NgEndpointVariable = "MediaAgent__NgEndpoint";

    public static IResourceBuilder<ProjectResource> WithRtpEngine(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithEndpoints>? rtpengine) =>
        builder
            // A plain host:port (not an Aspire endpoint reference): the ng port is published on the
            // host loopback in both modes, and the agent keeps pinging even when rtpengine is absent.
            .WithEnvironment(NgEndpointVariable, RtpEngineHostingExtensions.NgAddress)
            .WaitForIfPresent(rtpengine);
}
