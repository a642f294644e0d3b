namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// The media agent: the project that owns RTPEngine (claims a kernel table when it can, launches and supervises
/// RTPEngine, drains it at stop). Other resources reach RTPEngine through the agent's <c>ng</c> endpoint.
/// </summary>
internal static class MediaAgentExtensions
{
    // Consul metadata of the media service (ConsulServiceOptions.Meta): what a proxy needs to use this relay.
    private const string NgMetaVariable = "Consul__Service__Meta__ng";
    private const string RtpPortsMetaVariable = "Consul__Service__Meta__rtp_ports";

    /// <summary>The media image: the agent as entrypoint, with rtpengine-daemon beside it.</summary>
    private const string Dockerfile = "containers/media/Dockerfile";

    /// <summary>
    /// Adds the agent with its <c>ng</c> endpoint. Run mode: a local project that launches the local <c>rtpengine</c>
    /// (with or without a container runtime: RTPEngine's RTP ports must be the host's own, which a container's
    /// published ports are not). Publish mode: an image built from <see cref="Dockerfile"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMediaAgent(this IDistributedApplicationBuilder builder, string name)
    {
        var agent = builder.AddProject<Projects.VoipPlatform_MediaAgent>(name).WithRtpEngineNgEndpoint();
        if (builder.ExecutionContext.IsRunMode)
        {
            return agent.WithLocalRtpEngine();
        }
        // The build context is the repository: the image's first stage publishes the agent from source.
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        return agent.PublishAsDockerFile(container => container.WithDockerfile(repositoryRoot, Dockerfile));
    }

    /// <summary>
    /// Puts the ng address and RTP port range into the agent's Consul registration (next to its HTTP port), for a
    /// run with Consul. In a published deployment both are the pod's, known only there; nothing without Consul.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMediaConsulMeta(this IResourceBuilder<ProjectResource> agent,
        IResourceBuilder<IResourceWithEndpoints>? consul)
    {
        if (consul is null || !agent.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return agent;
        }
        return agent
            .WithEnvironment(NgMetaVariable, RtpEngineHostingExtensions.NgAddress)
            .WithEnvironment(RtpPortsMetaVariable, RtpEngineHostingExtensions.RtpPorts);
    }
}
