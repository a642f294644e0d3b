using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A real server program (from a Debian package) that a test starts on a loopback port: ready once the port accepts a
/// TCP connection (or a readiness probe of the caller's says so), stopped by its PID on dispose.
/// </summary>
public sealed class LoopbackServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LoopbackServerProcess(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        // Drain the pipes so a chatty server can never block on a full pipe; keep the text for error messages.
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts <paramref name="program"/> and waits until it listens on <paramref name="port"/>.</summary>
    /// <param name="package">The Debian package to name when the program is missing.</param>
    /// <param name="ready">How to tell it is ready when TCP is not the way (e.g. a UDP ping); a TCP connect otherwise.</param>
    public static async Task<LoopbackServerProcess> StartAsync(string program, IEnumerable<string> arguments, int port, string package,
        Func<IPEndPoint, Task<bool>>? ready = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} did not start; install {package}", ex);
        }
        var server = new LoopbackServerProcess(process, port);
        await server.WaitUntilReadyAsync(program, ready ?? AcceptsTcpAsync);
        return server;
    }

    private async Task WaitUntilReadyAsync(string program, Func<IPEndPoint, Task<bool>> ready)
    {
        for (int i = 0; i < 100; i++)
        {
            if (_process.HasExited)
            {
                string exited = $"{program} exited with {_process.ExitCode}: {Output}";
                await DisposeAsync();
                throw new InvalidOperationException(exited);
            }
            if (await ready(EndPoint)) return;
            await Task.Delay(50);
        }
        await DisposeAsync();
        throw new TimeoutException($"{program} did not become ready on {EndPoint}: {Output}");
    }

    private static async Task<bool> AcceptsTcpAsync(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(endPoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
