using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Asterisk has no local-executable fallback (not packaged in Debian 12). With a runtime it is added; without one it
/// is left out and the AppHost says so once, with what still works.
/// </summary>
internal static class ContainerOnlyResourceExtensions
{
    public static IResourceBuilder<ContainerResource>? AddContainerOnlyAsterisk(
        this IDistributedApplicationBuilder builder, ContainerRuntimeStatus runtime, string name)
    {
        if (runtime.IsAvailable)
        {
            return builder.AddAsterisk(name);
        }

        builder.LogAtStartup(LogLevel.Warning,
            $"No container runtime ({runtime.Reason}): {name} is left out of this run. " +
            "Still working: proxy, router, applayer and mediaagent as projects, redis and rtpengine as local executables; " +
            "application calls (voicemail, conference, IVR) get 503 Application server unavailable.");
        return null;
    }
}
