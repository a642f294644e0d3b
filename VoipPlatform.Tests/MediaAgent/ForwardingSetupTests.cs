using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.Tests.ServiceDefaults.Discovery;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>
/// Kernel or userspace, decided once at start: the table is claimed through a stand-in for the kernel's control file,
/// the module is "loaded" by a directory in a stand-in for <c>/sys/module</c>, and firewall commands are recorded, not run.
/// </summary>
public sealed class ForwardingSetupTests : IDisposable
{
    private readonly KernelControlFileStandIn _kernel = new();
    private readonly RecordingCommandRunner _firewall = new();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _modules = Directory.CreateTempSubdirectory("sys-module-").FullName;
    private readonly MediaAgentOptions _options = new();

    public ForwardingSetupTests()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _options.Kernel.ModuleDirectory = _modules;
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _kernel.Dispose();
        Directory.Delete(_modules, recursive: true);
    }

    private void Load(string module) => Directory.CreateDirectory(Path.Combine(_modules, module));

    private ForwardingSetup Setup(IKernelControlFile? controlFile = null)
    {
        var options = Options.Create(_options);
        IKernelControlFile control = controlFile ?? _kernel;
        return new ForwardingSetup(
            control,
            new KernelModuleDetector(options),
            new KernelTableAllocator(control, options, TimeProvider.System, _loggerFactory.CreateLogger<KernelTableAllocator>()),
            [
                new XtablesForwardingRule(_firewall, options, _loggerFactory.CreateLogger<XtablesForwardingRule>()),
                new NftablesForwardingRule(_firewall, options, _loggerFactory.CreateLogger<NftablesForwardingRule>()),
            ],
            options,
            _loggerFactory.CreateLogger<ForwardingSetup>());
    }

    [Fact]
    public async Task Without_the_kernel_control_file_forwarding_is_userspace_on_the_configured_ports_with_one_warning_and_no_firewall_command()
    {
        var missing = new KernelControlFile(Path.Combine(_modules, "no-proc", "control"));

        var plan = await Setup(missing).PrepareAsync(CancellationToken.None);

        Assert.False(plan.IsKernel);
        Assert.Equal(ForwardingPlan.UserspaceTableId, plan.TableId);
        Assert.Equal(new PortRange(30000, 30999), plan.Ports);
        Assert.Empty(_firewall.Commands);
        var warning = Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(missing.Path, warning.Message);
        Assert.Contains("userspace", warning.Message);
    }

    [Fact]
    public async Task With_the_control_file_but_no_known_module_forwarding_is_userspace_and_no_table_is_claimed()
    {
        var plan = await Setup().PrepareAsync(CancellationToken.None);

        Assert.False(plan.IsKernel);
        Assert.Empty(_kernel.Commands);
        Assert.Empty(_firewall.Commands);
        Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task With_xt_RTPENGINE_the_claimed_table_gets_its_iptables_and_ip6tables_rule_and_release_removes_both_then_deletes_the_table()
    {
        Load(KernelModuleDetector.XtablesModuleName);
        _kernel.TakenByAnotherRelay(0);
        var setup = Setup();

        var plan = await setup.PrepareAsync(CancellationToken.None);

        Assert.True(plan.IsKernel);
        Assert.Equal(KernelModule.Xtables, plan.Module);
        Assert.Equal(1, plan.TableId);
        Assert.Equal(new PortRange(30500, 30999), plan.Ports);
        Assert.Empty(plan.RuleArguments);
        string[] added = ["-N rtpengine", "-C INPUT -p udp -j rtpengine", "-I rtpengine -p udp -j RTPENGINE --id 1"];
        Assert.Equal([.. added.Select(a => "iptables " + a), .. added.Select(a => "ip6tables " + a)], _firewall.Commands);

        await setup.ReleaseAsync(plan, CancellationToken.None);

        Assert.Equal(["iptables -D rtpengine -p udp -j RTPENGINE --id 1", "ip6tables -D rtpengine -p udp -j RTPENGINE --id 1"], _firewall.Commands.Skip(6));
        Assert.Equal(["add 1", "del 1"], _kernel.Commands);
    }

    [Fact]
    public async Task With_xt_RTPENGINE_the_jump_from_INPUT_is_inserted_only_when_it_is_missing()
    {
        Load(KernelModuleDetector.XtablesModuleName);
        _firewall.Fails = command => command.Contains("-C INPUT", StringComparison.Ordinal);

        await Setup().PrepareAsync(CancellationToken.None);

        Assert.Contains("iptables -I INPUT -p udp -j rtpengine", _firewall.Commands);
        Assert.Contains("ip6tables -I INPUT -p udp -j rtpengine", _firewall.Commands);
    }

    [Fact]
    public async Task With_nft_rtpengine_rtpengine_itself_sets_up_and_removes_a_chain_named_after_the_table()
    {
        Load(KernelModuleDetector.NftablesModuleName);

        var setup = Setup();
        var plan = await setup.PrepareAsync(CancellationToken.None);
        await setup.ReleaseAsync(plan, CancellationToken.None);

        Assert.Equal(KernelModule.Nftables, plan.Module);
        Assert.Equal(["--nftables-chain=rtpengine_0", "--nftables-base-chain=INPUT"], plan.RuleArguments);
        const string Rule = "rtpengine --config-file=none --table=0 --nftables-chain=rtpengine_0 --nftables-base-chain=INPUT";
        Assert.Equal([Rule + " --nftables-start", Rule + " --nftables-stop"], _firewall.Commands);
        Assert.Equal(["add 0", "del 0"], _kernel.Commands);
    }

    [Fact]
    public async Task A_firewall_rule_that_cannot_be_installed_fails_the_start_and_gives_the_table_back()
    {
        Load(KernelModuleDetector.XtablesModuleName);
        _firewall.Fails = command => command.StartsWith("iptables -I rtpengine", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Setup().PrepareAsync(CancellationToken.None));

        Assert.Contains("RTPENGINE --id 0", error.Message);
        Assert.Equal(["add 0", "del 0"], _kernel.Commands);
    }

    [Fact]
    public async Task Userspace_forwarding_has_nothing_to_release()
    {
        var plan = await Setup(new KernelControlFile(Path.Combine(_modules, "none"))).PrepareAsync(CancellationToken.None);

        await Setup().ReleaseAsync(plan, CancellationToken.None);

        Assert.Empty(_kernel.Commands);
        Assert.Empty(_firewall.Commands);
    }
}
