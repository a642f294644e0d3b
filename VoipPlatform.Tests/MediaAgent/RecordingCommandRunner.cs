using VoipPlatform.MediaAgent.Kernel;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>
/// Runs no firewall command (the tests may not touch the machine's iptables or nftables): records each one and answers
/// success, or the failure the test asks for.
/// </summary>
public sealed class RecordingCommandRunner : ICommandRunner
{
    private readonly List<string> _commands = [];

    /// <summary>Commands (program and arguments, space-separated) that answer exit code 1.</summary>
    public Func<string, bool> Fails { get; set; } = _ => false;

    /// <summary>Every command run, in order.</summary>
    public IReadOnlyList<string> Commands
    {
        get { lock (_commands) return [.. _commands]; }
    }

    /// <inheritdoc />
    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string command = $"{program} {string.Join(' ', arguments)}";
        lock (_commands) _commands.Add(command);
        return Task.FromResult(Fails(command) ? new CommandResult(1, "refused by the test") : new CommandResult(0, ""));
    }
}
