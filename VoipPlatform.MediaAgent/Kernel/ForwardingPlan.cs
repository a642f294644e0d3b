namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>How this agent's RTPEngine forwards media: in the kernel through a claimed table, or in userspace.</summary>
public sealed record ForwardingPlan
{
    /// <summary>RTPEngine's table argument for "no kernel forwarding".</summary>
    public const int UserspaceTableId = -1;

    private ForwardingPlan(KernelTable? table, KernelModule? module, PortRange ports, IReadOnlyList<string> ruleArguments)
    {
        Table = table;
        Module = module;
        Ports = ports;
        RuleArguments = ruleArguments;
    }

    /// <summary>The claimed table, or null in userspace.</summary>
    public KernelTable? Table { get; }

    /// <summary>The loaded kernel module, or null in userspace.</summary>
    public KernelModule? Module { get; }

    /// <summary>The RTP ports RTPEngine may use.</summary>
    public PortRange Ports { get; }

    /// <summary>RTPEngine arguments the firewall rule needs (see <see cref="IForwardingRule.DaemonArguments"/>).</summary>
    public IReadOnlyList<string> RuleArguments { get; }

    /// <summary>True when packets are forwarded in the kernel.</summary>
    public bool IsKernel => Table is not null;

    /// <summary>The table id for RTPEngine's <c>--table</c>: the claimed id, or <see cref="UserspaceTableId"/>.</summary>
    public int TableId => Table?.Id ?? UserspaceTableId;

    /// <summary>Userspace forwarding on the configured port range.</summary>
    public static ForwardingPlan Userspace(PortRange ports) => new(null, null, ports, []);

    /// <summary>Kernel forwarding through <paramref name="table"/>, fed by <paramref name="rule"/>.</summary>
    public static ForwardingPlan Kernel(KernelTable table, IForwardingRule rule) =>
        new(table, rule.Module, table.Ports, rule.DaemonArguments(table.Id));
}
