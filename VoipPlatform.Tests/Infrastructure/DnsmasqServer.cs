using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A real DNS server (dnsmasq, Debian <c>dnsmasq-base</c>) on a loopback port, serving only the records a test
/// gives it: no upstream, no /etc/hosts. Stopped by its PID.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly LoopbackServerProcess _process;

    private DnsmasqServer(LoopbackServerProcess process) => _process = process;

    /// <summary>Where it answers (UDP and TCP alike).</summary>
    public IPEndPoint EndPoint => _process.EndPoint;

    /// <summary>Starts dnsmasq with the given record options (<c>--srv-host=...</c>, <c>--host-record=...</c>).</summary>
    public static Task<DnsmasqServer> StartAsync(params string[] records) => StartOnPortAsync(FreeSipPort.Next(), records);

    /// <summary>Starts dnsmasq on a given port (to replace a stopped one with other records).</summary>
    public static async Task<DnsmasqServer> StartOnPortAsync(int port, params string[] records)
    {
        string[] arguments =
        [
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
            "--listen-address=127.0.0.1", $"--port={port}", "--pid-file=", "--cache-size=0",
            .. Environment.UserName == "root" ? ["--user=root"] : Array.Empty<string>(), // as root it would otherwise switch to nobody
            .. records,
        ];
        return new DnsmasqServer(await LoopbackServerProcess.StartAsync("dnsmasq", arguments, port, "dnsmasq-base"));
    }

    /// <summary>
    /// A resolver of Request-URI / Route hosts (RFC 3263) asking this server, with a 30 s hold-down of failed servers
    /// and the given answer timeout (2 s by default).
    /// </summary>
    public SipServerResolver CreateResolver(TimeSpan? answerTimeout = null) => new(
        new ServerLocator(Options.Create(new ServerLocatorOptions { Server = EndPoint.ToString(), Timeout = TimeSpan.FromMilliseconds(500) }), TimeProvider.System),
        new TargetSelector(TimeProvider.System, TimeSpan.FromSeconds(30)), answerTimeout ?? TimeSpan.FromSeconds(2));

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
