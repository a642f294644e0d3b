using Microsoft.Extensions.Options;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// Decides once, at start, how this agent's RTPEngine forwards media, and undoes it at stop: with the kernel module
/// loaded it claims a table and installs the firewall rule of that module; without it, userspace on the configured
/// ports, said in one warning. The firewall commands run only when the module is there.
/// </summary>
public sealed partial class ForwardingSetup(
    IKernelControlFile controlFile,
    KernelModuleDetector moduleDetector,
    KernelTableAllocator allocator,
    IEnumerable<IForwardingRule> rules,
    IOptions<MediaAgentOptions> options,
    ILogger<ForwardingSetup> logger)
{
    /// <summary>Claims a table and installs its rule, or settles for userspace.</summary>
    /// <exception cref="InvalidOperationException">Every table is taken, or the firewall rule could not be installed.</exception>
    public async Task<ForwardingPlan> PrepareAsync(CancellationToken cancellationToken)
    {
        var rtpEngine = options.Value.RtpEngine;
        var userspacePorts = new PortRange(rtpEngine.UserspacePortMin, rtpEngine.UserspacePortMax);
        if (!controlFile.Exists)
        {
            LogNoKernelModule(controlFile.Path, userspacePorts);
            return ForwardingPlan.Userspace(userspacePorts);
        }
        if (moduleDetector.Detect() is not { } module)
        {
            LogModuleUnknown(controlFile.Path, options.Value.Kernel.ModuleDirectory, userspacePorts);
            return ForwardingPlan.Userspace(userspacePorts);
        }

        var rule = RuleFor(module);
        var table = allocator.Claim();
        try
        {
            await rule.AddAsync(table.Id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The table is useless without its rule; give it back so the next start (or another relay) can have it.
            await allocator.ReleaseAsync(table).ConfigureAwait(false);
            throw;
        }
        LogKernelForwarding(table.Id, KernelModuleDetector.NameOf(module), table.Ports);
        return ForwardingPlan.Kernel(table, rule);
    }

    /// <summary>Removes the rule and deletes the table; nothing to do in userspace. Never throws.</summary>
    public async Task ReleaseAsync(ForwardingPlan plan, CancellationToken cancellationToken)
    {
        if (plan is not { Table: { } table, Module: { } module }) return;
        await RuleFor(module).RemoveAsync(table.Id, cancellationToken).ConfigureAwait(false);
        await allocator.ReleaseAsync(table).ConfigureAwait(false);
    }

    private IForwardingRule RuleFor(KernelModule module) => rules.Single(r => r.Module == module);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No RTPEngine kernel module ({ControlFile} does not exist): RTPEngine relays media in userspace (--table=-1) on ports {Ports}. Load xt_RTPENGINE or nft_rtpengine for kernel forwarding")]
    private partial void LogNoKernelModule(string controlFile, PortRange ports);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ControlFile} exists but neither xt_RTPENGINE nor nft_rtpengine is listed in {ModuleDirectory}: RTPEngine relays media in userspace (--table=-1) on ports {Ports}")]
    private partial void LogModuleUnknown(string controlFile, string moduleDirectory, PortRange ports);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kernel forwarding through table {TableId} ({Module}), RTP ports {Ports}")]
    private partial void LogKernelForwarding(int tableId, string module, PortRange ports);
}
