using System.Diagnostics;
using System.Net;
using System.Text;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A real RTPEngine (Debian <c>rtpengine-daemon</c>) in userspace on loopback, with its ng port and a small RTP port
/// range of its own; ready once it answers ng <c>ping</c>; stopped by its PID.
/// </summary>
public sealed class RtpEngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RtpEngineProcess(Process process, IPEndPoint ng)
    {
        _process = process;
        NgEndPoint = ng;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IPEndPoint NgEndPoint { get; }

    public static async Task<RtpEngineProcess> StartAsync()
    {
        var ng = new IPEndPoint(IPAddress.Loopback, FreeUdpPort.Next());
        int portMin = 40000 + Random.Shared.Next(0, 200) * 100;
        var info = new ProcessStartInfo("rtpengine") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[]
        {
            "--config-file=none", // not /etc/rtpengine/rtpengine.conf, whose CLI and HTTP ports the platform's engine holds
            "--interface=127.0.0.1", $"--listen-ng={ng}", "--foreground", "--log-stderr", "--table=-1",
            $"--port-min={portMin}", $"--port-max={portMin + 99}",
            "--delete-delay=0", // a deleted session disappears at once (the default keeps it 30 s for late packets)
        })
        {
            info.ArgumentList.Add(argument);
        }
        var engine = new RtpEngineProcess(Process.Start(info) ?? throw new InvalidOperationException("rtpengine did not start; install rtpengine-daemon"), ng);
        await using var client = new NgClient(ng, new NgClientOptions { Timeout = TimeSpan.FromMilliseconds(200), Tries = 1 });
        for (int i = 0; i < 50; i++)
        {
            if (engine._process.HasExited) break;
            try
            {
                await client.PingAsync();
                return engine;
            }
            catch (NgTimeoutException)
            {
            }
        }
        string output;
        lock (engine._output) output = engine._output.ToString();
        await engine.DisposeAsync();
        throw new InvalidOperationException($"rtpengine did not answer ng ping:\n{output}");
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
