using System.ComponentModel;
using System.Diagnostics;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>Runs commands as child processes, each bounded in time so a hung firewall tool cannot stall the agent's start or stop.</summary>
public sealed partial class ProcessCommandRunner(ILogger<ProcessCommandRunner> logger) : ICommandRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        string commandLine = $"{program} {string.Join(' ', arguments)}";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            LogNotStarted(commandLine, ex.Message);
            return new CommandResult(CommandResult.NotStarted, ex.Message);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                string output = ((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false))).Trim();
                LogRan(commandLine, process.ExitCode);
                return new CommandResult(process.ExitCode, output);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                LogTimedOut(commandLine, Timeout);
                return new CommandResult(CommandResult.TimedOut, $"no exit within {Timeout.TotalSeconds:0} s");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ran '{CommandLine}': exit code {ExitCode}")]
    private partial void LogRan(string commandLine, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not run '{CommandLine}': {Reason}")]
    private partial void LogNotStarted(string commandLine, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "'{CommandLine}' did not finish within {Timeout} and was killed")]
    private partial void LogTimedOut(string commandLine, TimeSpan timeout);
}
