using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Consul and Asterisk have no local-executable fallback. With a runtime they are added; without
/// one they are left out and the AppHost says so once, with what still works.
/// </summary>
internal static class ContainerOnlyResourceExtensions
{
    public sealed record ContainerOnlyResources(
        IResourceBuilder<ContainerResource>? Consul,
        IResourceBuilder<ContainerResource>? Asterisk);

    public static ContainerOnlyResources AddContainerOnlyResources(
        this IDistributedApplicationBuilder builder, ContainerRuntimeStatus runtime, string consulName, string asteriskName)
    {
        if (runtime.IsAvailable)
        {
            return new(builder.AddConsul(consulName), builder.AddAsterisk(asteriskName));
        }

        builder.LogAtStartup(LogLevel.Warning,
            $"No container runtime ({runtime.Reason}): {consulName} and {asteriskName} are left out of this run. " +
            "Still working: proxy, router, applayer and mediaagent as projects, redis and rtpengine as local executables; " +
            "next hops come from the endpoints Aspire injects instead of Consul DNS, and calls to app-server features get a SIP error.");
        return new(null, null);
    }
}
