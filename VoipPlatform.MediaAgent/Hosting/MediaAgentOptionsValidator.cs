using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.MediaAgent.Hosting;

/// <summary>Checks the <c>MediaAgent</c> options at start, so a bad setting stops the agent with every problem named at once.</summary>
public sealed class MediaAgentOptionsValidator : IValidateOptions<MediaAgentOptions>
{
    /// <summary>The module's table ids.</summary>
    private const int MaxTableId = 63;

    private const string Section = MediaAgentOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MediaAgentOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string failure)
        {
            if (!condition) failures.Add(failure);
        }

        Require(IPEndPoint.TryParse(options.NgEndpoint, out var ng) && ng.Port != 0,
            $"{Section}:{nameof(options.NgEndpoint)} must be IP:port, e.g. 127.0.0.1:2223.");
        Require(options.PingInterval > TimeSpan.Zero && options.StatisticsInterval > TimeSpan.Zero,
            $"{Section}: {nameof(options.PingInterval)} and {nameof(options.StatisticsInterval)} must be positive.");
        Require(options.PingTimeout > TimeSpan.Zero && options.PingTimeout < options.PingInterval,
            $"{Section}:{nameof(options.PingTimeout)} must be positive and shorter than {nameof(options.PingInterval)}.");

        var rtpEngine = options.RtpEngine;
        string rtpSection = $"{Section}:{nameof(options.RtpEngine)}";
        Require(!string.IsNullOrWhiteSpace(rtpEngine.Executable), $"{rtpSection}:{nameof(rtpEngine.Executable)} must name the rtpengine binary.");
        ValidateInterface(rtpEngine.ExternalInterface, $"{rtpSection}:{nameof(rtpEngine.ExternalInterface)}", failures);
        ValidateInterface(rtpEngine.InternalInterface, $"{rtpSection}:{nameof(rtpEngine.InternalInterface)}", failures);
        Require(rtpEngine.UserspacePortMin is > 0 and <= ushort.MaxValue && rtpEngine.UserspacePortMax is > 0 and <= ushort.MaxValue
                && rtpEngine.UserspacePortMin < rtpEngine.UserspacePortMax,
            $"{rtpSection}: {nameof(rtpEngine.UserspacePortMin)} must be below {nameof(rtpEngine.UserspacePortMax)}, both 1 to 65535.");
        Require(rtpEngine.ExtraArguments.All(a => !string.IsNullOrWhiteSpace(a)), $"{rtpSection}:{nameof(rtpEngine.ExtraArguments)} must not contain empty arguments.");
        Require(rtpEngine.RestartDelay > TimeSpan.Zero && rtpEngine.MaxRestartDelay >= rtpEngine.RestartDelay,
            $"{rtpSection}: {nameof(rtpEngine.RestartDelay)} must be positive and at most {nameof(rtpEngine.MaxRestartDelay)}.");
        Require(rtpEngine.StopTimeout > TimeSpan.Zero, $"{rtpSection}:{nameof(rtpEngine.StopTimeout)} must be positive.");

        var kernel = options.Kernel;
        string kernelSection = $"{Section}:{nameof(options.Kernel)}";
        Require(Path.IsPathFullyQualified(kernel.ControlFile) && Path.IsPathFullyQualified(kernel.ModuleDirectory),
            $"{kernelSection}: {nameof(kernel.ControlFile)} and {nameof(kernel.ModuleDirectory)} must be absolute paths.");
        Require(kernel.FirstTableId >= 0 && kernel.FirstTableId <= kernel.LastTableId && kernel.LastTableId <= MaxTableId,
            $"{kernelSection}: table ids must satisfy 0 <= {nameof(kernel.FirstTableId)} <= {nameof(kernel.LastTableId)} <= {MaxTableId}.");
        // Even, so every table's range starts on an even port and RTP/RTCP pairs never straddle two tables.
        Require(kernel.PortsPerTable >= 2 && kernel.PortsPerTable % 2 == 0,
            $"{kernelSection}:{nameof(kernel.PortsPerTable)} must be an even number, at least 2.");
        Require(kernel.PortBase is > 0 && kernel.PortBase % 2 == 0
                && (long)kernel.PortBase + (kernel.LastTableId + 1L) * kernel.PortsPerTable - 1 <= ushort.MaxValue,
            $"{kernelSection}: {nameof(kernel.PortBase)} must be even, and {nameof(kernel.PortBase)} + ({nameof(kernel.LastTableId)} + 1) × {nameof(kernel.PortsPerTable)} - 1 at most 65535.");
        Require(!string.IsNullOrWhiteSpace(kernel.IptablesChain) && !string.IsNullOrWhiteSpace(kernel.NftablesBaseChain),
            $"{kernelSection}: {nameof(kernel.IptablesChain)} and {nameof(kernel.NftablesBaseChain)} must not be empty.");

        var drain = options.Drain;
        string drainSection = $"{Section}:{nameof(options.Drain)}";
        Require(drain.GracePeriod >= TimeSpan.Zero, $"{drainSection}:{nameof(drain.GracePeriod)} must not be negative.");
        Require(drain.PollInterval > TimeSpan.Zero, $"{drainSection}:{nameof(drain.PollInterval)} must be positive.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateInterface(RtpEngineInterfaceOptions options, string section, List<string> failures)
    {
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"{section}:{nameof(options.Address)} must be an IP address.");
        }
        if (options.AdvertisedAddress is { Length: > 0 } advertised && !IPAddress.TryParse(advertised, out _))
        {
            failures.Add($"{section}:{nameof(options.AdvertisedAddress)} must be an IP address when set.");
        }
    }
}
