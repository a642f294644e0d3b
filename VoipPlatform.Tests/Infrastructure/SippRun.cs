using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// One run of SIPp (Debian <c>sip-tester</c>), a real SIP peer. Every run is bounded by <c>-m</c> and by a wall-clock
/// limit after which the process we started is killed by its PID.
/// </summary>
public sealed partial class SippRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private SippRun(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The SIPp process id: SIPp's Call-IDs are <c>&lt;call number&gt;-&lt;pid&gt;@&lt;ip&gt;</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <c>sipp</c> with the given arguments (always non-interactive, loopback only).</summary>
    public static SippRun Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("-nostdin");
        info.ArgumentList.Add("-buff_size");
        info.ArgumentList.Add("4194304");
        return new SippRun(Process.Start(info) ?? throw new InvalidOperationException("sipp did not start; install the sip-tester package"));
    }

    /// <summary>Waits for SIPp to finish within <paramref name="limit"/>, killing it otherwise.</summary>
    public async Task<SippResult> WaitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        bool timedOut = false;
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        string output = await _stdout + await _stderr;
        return new SippResult(timedOut ? -1 : _process.ExitCode, Count(output, SuccessfulCalls()), Count(output, FailedCalls()), timedOut, output);
    }

    private static int Count(string output, Regex pattern)
    {
        // The final screen is printed last; take the cumulative column of its last occurrence.
        Match last = Match.Empty;
        foreach (Match m in pattern.Matches(output)) last = m;
        return last.Success ? int.Parse(last.Groups[1].Value) : -1;
    }

    [GeneratedRegex(@"Successful call\s*\|\s*\d+\s*\|\s*(\d+)")]
    private static partial Regex SuccessfulCalls();

    [GeneratedRegex(@"Failed call\s*\|\s*\d+\s*\|\s*(\d+)")]
    private static partial Regex FailedCalls();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>What a SIPp run reported.</summary>
public sealed record SippResult(int ExitCode, int SuccessfulCalls, int FailedCalls, bool TimedOut, string Output)
{
    public override string ToString() => $"exit {ExitCode}, {SuccessfulCalls} successful, {FailedCalls} failed, timed out: {TimedOut}\n{Output[^Math.Min(Output.Length, 3000)..]}";
}
