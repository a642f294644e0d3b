using System.Diagnostics;
using System.Text;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// One of our services (the built Router or Proxy) run as a real process by a test, configured through environment
/// variables, for tests that must kill a replica or cut it off from a dependency without disturbing the shared
/// platform. Killed by its PID on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>
    /// Starts <c>VoipPlatform.{project}</c> from its build output (same configuration as the tests) and waits until
    /// its SIP core listens.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string> environment)
    {
        string assembly = Path.Combine(RepositoryPaths.Root, $"VoipPlatform.{project}", "bin", Configuration(), "net10.0", $"VoipPlatform.{project}.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Its own directory is its content root: the appsettings.json there is the service's, not whichever
            // project's copy landed last in the test output.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.ArgumentList.Add(assembly);
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var service = new ServiceProcess(Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start"));
        // Listening, exited (a bind failure, say), or too slow: whichever comes first.
        Task exited = service._process.WaitForExitAsync();
        Task first = await Task.WhenAny(service._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != service._listening.Task)
        {
            await service.DisposeAsync();
            string why = first == exited ? "exited before listening" : "did not start listening within 30 s";
            throw new InvalidOperationException($"{project} {why}:\n{service.Output}");
        }
        return service;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the service drains and exits by itself.</summary>
    public void Terminate() => ProcessSignals.Terminate(_process);

    /// <summary>True when the process exited within <paramref name="limit"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan limit) => ProcessSignals.WaitForExitAsync(_process, limit);

    /// <summary>SIGKILL, as a crashed or OOM-killed replica.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains("SIP proxy core listening", StringComparison.Ordinal)) _listening.TrySetResult();
    }

    /// <summary>Debug or Release: the segment after <c>bin</c> in the test assembly's own path.</summary>
    private static string Configuration()
    {
        string[] parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        return parts[Array.LastIndexOf(parts, "bin") + 1];
    }
}
