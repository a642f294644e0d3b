namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>Runs the firewall commands (iptables, ip6tables, rtpengine --nftables-*) that steer packets into the kernel module.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="program"/> to its end; a program that is not installed is a failed result, not an exception.</summary>
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
