using System.Runtime.InteropServices;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// SIGTERM for a child process: .NET's <c>Process.Kill</c> sends only SIGKILL, and RTPEngine needs SIGTERM to shut down
/// cleanly (close its kernel table, remove its nftables rule).
/// </summary>
internal static class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to <paramref name="processId"/>; false when it failed (e.g. the process is gone).</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    // DllImport rather than LibraryImport: two blittable ints need no marshalling, and the source-generated form would
    // make the whole project compile with unsafe code allowed.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int processId, int signal);
}
