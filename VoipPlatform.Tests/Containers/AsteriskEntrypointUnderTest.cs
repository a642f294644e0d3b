using System.Diagnostics;
using System.Text;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Containers;

/// <summary>
/// The real containers/asterisk/entrypoint.sh run by <c>/bin/sh</c> as a process, with a stand-in <c>asterisk</c>
/// command first on PATH (Asterisk cannot run here). The stand-in keeps its state in files the test writes: how many
/// calls are up, whether its console answers. Killed by its PID (and the stand-in's) on dispose.
/// </summary>
public sealed class AsteriskEntrypointUnderTest : IAsyncDisposable
{
    /// <summary>
    /// Stands in for the asterisk binary: <c>-f</c> runs until told to stop and no call is up (or until told to crash);
    /// <c>-rx</c> answers the console commands the entrypoint uses, only while the "server" runs and is not hung.
    /// Every invocation is appended to <c>invocations</c>.
    /// </summary>
    private const string AsteriskStandIn = """
        #!/bin/sh
        state="$ASTERISK_STAND_IN_DIR"
        echo "$*" >>"$state/invocations"
        running() { [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; }
        case "$1" in
        -f)
            echo $$ >"$state/pid"
            while :; do
                [ -e "$state/crash" ] && { rm -f "$state/pid"; exit 3; }
                if [ -e "$state/stop" ] && [ "$(cat "$state/calls")" -eq 0 ]; then rm -f "$state/pid"; exit 0; fi
                sleep 0.1
            done ;;
        -rx)
            if ! running || [ -e "$state/hung" ]; then
                echo "Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)"
                exit 1
            fi
            case "$2" in
            'core show uptime') echo "System uptime: 5 seconds" ;;
            'core show channels count') echo "$(cat "$state/calls") active calls" ;;
            'core stop gracefully') touch "$state/stop" ;;
            'core stop now') echo 0 >"$state/calls"; touch "$state/stop" ;;
            *) echo "No such command '$2'"; exit 1 ;;
            esac ;;
        *) echo "stand-in: unexpected arguments: $*" >&2; exit 64 ;;
        esac
        """;

    public const string ServiceId = "asterisk-test-5080";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly DirectoryInfo _root;

    private AsteriskEntrypointUnderTest(Process process, DirectoryInfo root)
    {
        _process = process;
        _root = root;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where the entrypoint writes its generated configuration (<c>ASTERISK_ETC</c>).</summary>
    public string ConfigDirectory => Path.Combine(_root.FullName, "etc");

    private string StateDirectory => Path.Combine(_root.FullName, "state");

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The stand-in's command lines so far.</summary>
    public string[] Invocations =>
        File.Exists(Path.Combine(StateDirectory, "invocations")) ? File.ReadAllLines(Path.Combine(StateDirectory, "invocations")) : [];

    /// <summary>Starts the entrypoint against the Consul agent at <paramref name="consul"/>, TTL 3 s (a report every second).</summary>
    public static AsteriskEntrypointUnderTest Start(Uri consul, int drainSeconds = 30)
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("vp-asterisk-entrypoint-");
        string bin = Directory.CreateDirectory(Path.Combine(root.FullName, "bin")).FullName;
        string state = Directory.CreateDirectory(Path.Combine(root.FullName, "state")).FullName;
        File.WriteAllText(Path.Combine(state, "calls"), "0\n");
        string standIn = Path.Combine(bin, "asterisk");
        File.WriteAllText(standIn, AsteriskStandIn.Replace("\r\n", "\n") + "\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The entrypoint is a POSIX shell script.");
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.Of("containers", "asterisk", "entrypoint.sh"));
        info.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        info.Environment["ASTERISK_STAND_IN_DIR"] = state;
        info.Environment["ASTERISK_ETC"] = Path.Combine(root.FullName, "etc");
        info.Environment["CONSUL_HTTP_ADDR"] = consul.ToString();
        info.Environment["VP_SERVICE_ID"] = ServiceId;
        info.Environment["VP_SERVICE_ADDRESS"] = "127.0.0.1";
        info.Environment["VP_CHECK_TTL_SECONDS"] = "3";
        info.Environment["VP_START_SECONDS"] = "10";
        info.Environment["VP_DRAIN_SECONDS"] = drainSeconds.ToString();
        info.Environment["VP_ROUTING_NETWORKS"] = "127.0.0.0/8,::1";
        info.Environment["VP_API_URL"] = "http://127.0.0.1:9/api/";
        return new AsteriskEntrypointUnderTest(Process.Start(info) ?? throw new InvalidOperationException("sh did not start"), root);
    }

    /// <summary>Calls the stand-in reports as up; Asterisk's graceful stop waits for them.</summary>
    public void SetCalls(int calls) => File.WriteAllText(Path.Combine(StateDirectory, "calls"), $"{calls}\n");

    /// <summary>The stand-in's console stops answering (or answers again).</summary>
    public void SetHung(bool hung) => SetFlag("hung", hung);

    /// <summary>The stand-in "server" exits on its own with status 3.</summary>
    public void Crash() => SetFlag("crash", true);

    /// <summary>SIGTERM, as Kubernetes or docker stop the container.</summary>
    public void Terminate() => ProcessSignals.Terminate(_process);

    public Task<bool> WaitForExitAsync(TimeSpan limit) => ProcessSignals.WaitForExitAsync(_process, limit);

    private void SetFlag(string name, bool on)
    {
        string path = Path.Combine(StateDirectory, name);
        if (on) File.WriteAllText(path, "");
        else File.Delete(path);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        // The stand-in "server" is the entrypoint's child; take it down by its PID first, then the entrypoint.
        string pidFile = Path.Combine(StateDirectory, "pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int serverPid))
        {
            try
            {
                using Process server = Process.GetProcessById(serverPid);
                server.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _root.Delete(recursive: true);
    }
}
