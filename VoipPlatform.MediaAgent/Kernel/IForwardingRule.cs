namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// The firewall rule that sends UDP packets into the kernel module for one forwarding table. Without it the table
/// exists but sees no packet, and every packet is relayed in userspace. One implementation per module generation.
/// </summary>
public interface IForwardingRule
{
    /// <summary>The module this rule feeds.</summary>
    KernelModule Module { get; }

    /// <summary>Installs the rule for <paramref name="tableId"/>.</summary>
    /// <exception cref="InvalidOperationException">A command failed; the message says which and why.</exception>
    Task AddAsync(int tableId, CancellationToken cancellationToken);

    /// <summary>Removes the rule for <paramref name="tableId"/>; failures are logged, never thrown (the agent is stopping).</summary>
    Task RemoveAsync(int tableId, CancellationToken cancellationToken);

    /// <summary>RTPEngine arguments that must match the rule, so the daemon's own rule handling touches the same chain.</summary>
    IReadOnlyList<string> DaemonArguments(int tableId);
}
