using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The command line RTPEngine is started with.</summary>
public sealed class RtpEngineArgumentsTests
{
    [Fact]
    public void Userspace_runs_without_a_config_file_on_table_minus_one_with_both_interfaces_and_the_extra_arguments_last()
    {
        var options = new MediaAgentOptions { NgEndpoint = "127.0.0.1:2223" };
        options.RtpEngine.ExtraArguments = ["--delete-delay=0"];

        var arguments = RtpEngineArguments.Build(options, ForwardingPlan.Userspace(new PortRange(30000, 30999)));

        Assert.Equal(
        [
            "--config-file=none",
            "--interface=external/127.0.0.1",
            "--interface=internal/127.0.0.1",
            "--listen-ng=127.0.0.1:2223",
            "--table=-1",
            "--port-min=30000",
            "--port-max=30999",
            "--foreground",
            "--log-stderr",
            "--delete-delay=0",
        ], arguments);
    }

    [Fact]
    public void Kernel_forwarding_uses_the_claimed_table_and_its_ports_refuses_a_silent_fallback_and_adds_the_rules_arguments()
    {
        var options = new MediaAgentOptions();
        options.RtpEngine.ExternalInterface = new RtpEngineInterfaceOptions { Address = "10.0.0.5", AdvertisedAddress = "203.0.113.7" };
        options.RtpEngine.InternalInterface = new RtpEngineInterfaceOptions { Address = "10.1.0.5" };
        var rule = new NftablesForwardingRule(new RecordingCommandRunner(), Options.Create(options), NullLogger<NftablesForwardingRule>.Instance);

        var arguments = RtpEngineArguments.Build(options, ForwardingPlan.Kernel(new KernelTable(5, new PortRange(32500, 32999)), rule));

        Assert.Contains("--interface=external/10.0.0.5!203.0.113.7", arguments);
        Assert.Contains("--interface=internal/10.1.0.5", arguments);
        Assert.Contains("--table=5", arguments);
        Assert.Contains("--port-min=32500", arguments);
        Assert.Contains("--port-max=32999", arguments);
        Assert.Contains("--no-fallback", arguments);
        Assert.Contains("--nftables-chain=rtpengine_5", arguments);
    }
}
