namespace VoipPlatform.AppHost.Hosting;

/// <summary>The edge proxy anchors call media in the RTPEngine the media agent runs.</summary>
internal static class MediaBridgingExtensions
{
    private const string EnabledVariable = "Proxy__Media__Enabled";

    /// <summary>
    /// Turns SDP bridging on at the proxy, with the agent's <c>ng</c> endpoint as its media node
    /// (<c>services__mediaagent__ng__0</c>). Left off in a run without the <c>rtpengine</c> binary: calls then keep
    /// their SDP as is instead of all failing with 503. No waiting on the agent: a call arriving before RTPEngine
    /// answers gets 503 and is retried.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMediaBridging(this IResourceBuilder<ProjectResource> proxy,
        IResourceBuilder<ProjectResource> mediaAgent)
    {
        if (proxy.ApplicationBuilder.ExecutionContext.IsRunMode && !RtpEngineHostingExtensions.IsInstalled)
        {
            return proxy;
        }
        return proxy
            .WithEnvironment(EnabledVariable, "true")
            .WithReference(mediaAgent.GetEndpoint(PlatformEndpoints.Ng));
    }
}
