using System.Net;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A real RTPEngine (Debian <c>rtpengine-daemon</c>) in userspace on loopback, with its ng port and a small RTP port
/// range of its own; ready once it answers ng <c>ping</c>; stopped by its PID.
/// </summary>
public sealed class RtpEngineProcess : IAsyncDisposable
{
    private readonly LoopbackServerProcess _process;

    private RtpEngineProcess(LoopbackServerProcess process) => _process = process;

    /// <summary>Where it takes ng commands (UDP).</summary>
    public IPEndPoint NgEndPoint => _process.EndPoint;

    /// <summary>Where it takes ng commands over TCP (<c>--listen-tcp-ng</c>).</summary>
    public IPEndPoint TcpNgEndPoint { get; private init; } = null!;

    /// <summary>The first of the 100 RTP ports this instance relays on (a multiple of 100).</summary>
    public int PortMin { get; private init; }

    /// <summary>Starts an instance relaying on <paramref name="interfaces"/> (RTPEngine's <c>[NAME/]ADDRESS</c>), 127.0.0.1 when none.</summary>
    public static async Task<RtpEngineProcess> StartAsync(params string[] interfaces)
    {
        int ngPort = FreeSipPort.Next(), tcpNgPort = FreeSipPort.Next();
        int portMin = 40000 + Random.Shared.Next(0, 200) * 100;
        string[] arguments =
        [
            "--config-file=none", // not /etc/rtpengine/rtpengine.conf, whose CLI and HTTP ports the platform's engine holds
            .. (interfaces.Length == 0 ? ["127.0.0.1"] : interfaces).Select(address => $"--interface={address}"),
            $"--listen-ng=127.0.0.1:{ngPort}", $"--listen-tcp-ng=127.0.0.1:{tcpNgPort}", "--foreground", "--log-stderr", "--table=-1",
            $"--port-min={portMin}", $"--port-max={portMin + 99}",
            "--delete-delay=0", // a deleted session disappears at once (the default keeps it 30 s for late packets)
        ];
        return new RtpEngineProcess(await LoopbackServerProcess.StartAsync("rtpengine", arguments, ngPort, "rtpengine-daemon", AnswersPingAsync))
        {
            PortMin = portMin,
            TcpNgEndPoint = new IPEndPoint(IPAddress.Loopback, tcpNgPort),
        };
    }

    private static async Task<bool> AnswersPingAsync(IPEndPoint ng)
    {
        await using var client = new NgClient(ng, new NgClientOptions { Timeout = TimeSpan.FromMilliseconds(200), Tries = 1 });
        try
        {
            await client.PingAsync();
            return true;
        }
        catch (NgTimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
