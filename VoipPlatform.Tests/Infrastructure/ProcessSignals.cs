using System.Diagnostics;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Stopping a process a test started the way an orchestrator does, and waiting for it within a limit.</summary>
public static class ProcessSignals
{
    /// <summary>SIGTERM, as Kubernetes stops a pod or docker stops a container.</summary>
    public static void Terminate(Process process)
    {
        if (process.HasExited) return;
        using Process kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>True when the process exited within <paramref name="limit"/>.</summary>
    public static async Task<bool> WaitForExitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
