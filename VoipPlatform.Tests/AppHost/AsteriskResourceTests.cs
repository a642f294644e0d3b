using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// The Asterisk resource in the AppHost's model, with and without a container runtime. The model is built, not started:
/// there is no container engine here to build or run the image.
/// </summary>
public sealed class AsteriskResourceTests
{
    private static async Task<IDistributedApplicationTestingBuilder> ModelAsync(string runtime) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoipPlatform_AppHost>([$"--VoipPlatform:ContainerRuntime={runtime}"]);

    /// <summary>A resource's environment as the publish step writes it (references as expressions, nothing running).</summary>
    private static async Task<Dictionary<string, string>> PublishedEnvironmentAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    [Fact]
    public async Task With_a_container_runtime_asterisk_is_built_from_containers_asterisk_with_sip_on_udp_and_tcp_the_shared_voicemail_volume_and_its_bootstrap_settings()
    {
        await using var model = await ModelAsync("docker");
        ContainerResource asterisk = model.Resources.OfType<ContainerResource>().Single(r => r.Name == "asterisk");

        Assert.True(asterisk.TryGetLastAnnotation(out DockerfileBuildAnnotation? build));
        Assert.Equal(RepositoryPaths.Of("containers", "asterisk"), Path.GetFullPath(build.ContextPath));
        var endpoints = asterisk.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal((5080, 5080, ProtocolType.Udp, false), (endpoints["sip"].Port, endpoints["sip"].TargetPort, endpoints["sip"].Protocol, endpoints["sip"].IsProxied));
        Assert.Equal((5080, 5080, ProtocolType.Tcp, false), (endpoints["tcp"].Port, endpoints["tcp"].TargetPort, endpoints["tcp"].Protocol, endpoints["tcp"].IsProxied));
        ContainerMountAnnotation voicemail = Assert.Single(asterisk.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((ContainerMountType.Volume, "voipplatform-voicemail", "/var/spool/asterisk/voicemail"), (voicemail.Type, voicemail.Source, voicemail.Target));

        Dictionary<string, string> environment = await PublishedEnvironmentAsync(asterisk);
        Assert.Contains("applayer", environment["VP_API_URL"]);
        Assert.Contains("consul", environment["CONSUL_HTTP_ADDR"]);

        // Both routers send application branches to it.
        foreach (string router in new[] { "router", "router2" })
        {
            ProjectResource project = model.Resources.OfType<ProjectResource>().Single(r => r.Name == router);
            Dictionary<string, string> routerEnvironment = await PublishedEnvironmentAsync(project);
            Assert.Contains(routerEnvironment.Keys, key => key.StartsWith("services__asterisk__sip__", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_a_container_runtime_asterisk_is_left_out()
    {
        await using var model = await ModelAsync("none");

        Assert.DoesNotContain(model.Resources, r => r.Name == "asterisk");
    }
}
