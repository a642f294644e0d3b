using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VoipPlatform.Tests.AppLayer.Infrastructure;

/// <summary>
/// A real Redis (Debian <c>redis-server</c>) on a free loopback port, persistence off, owned by the test: started
/// here, stopped by its PID. Nothing is shared with a Redis the platform or the machine may run.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The StackExchange.Redis / Aspire connection string.</summary>
    public string ConnectionString => $"{EndPoint.Address}:{EndPoint.Port}";

    public static async Task<RedisServer> StartAsync()
    {
        int port = FreeTcpPort();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; install redis-server");
        // Drain the pipes so a chatty server can never block on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        await server.WaitUntilListeningAsync();
        return server;
    }

    private async Task WaitUntilListeningAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(EndPoint);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("redis-server did not start listening");
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
