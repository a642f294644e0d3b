using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A real DNS server (dnsmasq, Debian <c>dnsmasq-base</c>) on a loopback port, serving only the records a test
/// gives it: no upstream, no /etc/hosts. Stopped by its PID.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly Process _process;

    private DnsmasqServer(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts dnsmasq with the given record options (<c>--srv-host=...</c>, <c>--host-record=...</c>).</summary>
    public static async Task<DnsmasqServer> StartAsync(params string[] records)
    {
        int port = FreeUdpPort.Next();
        var info = new ProcessStartInfo("dnsmasq") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[]
        {
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
            "--listen-address=127.0.0.1", $"--port={port}", "--pid-file=", "--cache-size=0",
        }.Concat(Environment.UserName == "root" ? ["--user=root"] : []) // as root it would otherwise switch to nobody
         .Concat(records))
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start; install dnsmasq-base");
        var server = new DnsmasqServer(process, port);
        await server.WaitUntilListeningAsync();
        return server;
    }

    private async Task WaitUntilListeningAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException("dnsmasq exited: " + await _process.StandardError.ReadToEndAsync());
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(EndPoint); // dnsmasq listens on TCP and UDP alike
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("dnsmasq did not start listening");
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
