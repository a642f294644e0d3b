using System.Net;

namespace VoipPlatform.Proxy.Media;

/// <summary>Registers media bridging when <c>Proxy:Media:Enabled</c> is set.</summary>
internal static class MediaBridgingRegistration
{
    public static IServiceCollection AddMediaBridging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.SectionName))
            .Validate(o => o.TrustedSources.All(n => IPNetwork.TryParse(n, out _)), "Proxy:Media:TrustedSources must be CIDR networks.")
            .Validate(o => o.CommandTimeout > TimeSpan.Zero && o.CommandTries > 0, "Proxy:Media needs a positive CommandTimeout and CommandTries.")
            .ValidateOnStart();
        if (!configuration.GetSection(MediaOptions.SectionName).GetValue<bool>(nameof(MediaOptions.Enabled))) return services;
        services.AddSingleton<MediaNodes>();
        return services.AddSingleton<MediaBridge>();
    }
}
