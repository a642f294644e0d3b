using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Lets model-building code leave a message in the AppHost log. While the model is built there is
/// no logger yet, so the message is written when the application starts.
/// </summary>
internal static class StartupNotices
{
    private const string LoggerCategory = "VoipPlatform.AppHost";

    public static void LogAtStartup(this IDistributedApplicationBuilder builder, LogLevel level, string message)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
#pragma warning disable CA2254 // The message is composed once at model-build time, not per call.
            logger.Log(level, message);
#pragma warning restore CA2254
            return Task.CompletedTask;
        });
    }
}
