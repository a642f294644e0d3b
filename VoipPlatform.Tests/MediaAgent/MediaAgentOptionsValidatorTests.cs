using VoipPlatform.MediaAgent;
using VoipPlatform.MediaAgent.Hosting;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>Bad settings stop the agent at start, each named.</summary>
public sealed class MediaAgentOptionsValidatorTests
{
    private static readonly MediaAgentOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(Validator.Validate(null, new MediaAgentOptions()).Succeeded);
    }

    [Fact]
    public void Port_ranges_that_would_pass_65535_or_split_rtp_pairs_are_refused()
    {
        var options = new MediaAgentOptions();
        options.Kernel.PortsPerTable = 1001;

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("PortsPerTable", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("65535", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_setting_is_named_at_once()
    {
        var options = new MediaAgentOptions { NgEndpoint = "localhost:2223" };
        options.Kernel.LastTableId = 64;
        options.RtpEngine.ExternalInterface.Address = "eth0";
        options.Kernel.ControlFile = "proc/rtpengine/control";

        var failures = Validator.Validate(null, options).Failures!.ToArray();

        Assert.Contains(failures, f => f.Contains("NgEndpoint", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("LastTableId", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ExternalInterface:Address", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ControlFile", StringComparison.Ordinal));
    }
}
