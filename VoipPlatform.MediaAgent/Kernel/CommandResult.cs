namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>How a command ended.</summary>
/// <param name="ExitCode">The exit code; <see cref="NotStarted"/> or <see cref="TimedOut"/> when it has none.</param>
/// <param name="Output">What it wrote to stdout and stderr, for log messages.</param>
public sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>Exit code reported when the program is not installed (the shell's "command not found").</summary>
    public const int NotStarted = 127;

    /// <summary>Exit code reported when the program was killed for taking too long (as <c>timeout(1)</c> reports it).</summary>
    public const int TimedOut = 124;

    /// <summary>True for exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
