using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Sends SIP OPTIONS to every server of every <see cref="NextHopSet"/> each <see cref="NextHopProbeOptions.Interval"/>
/// (like Kamailio's dispatcher probing). A server that leaves <see cref="NextHopProbeOptions.FailuresBeforeDown"/>
/// probes in a row unanswered, or answers 5xx/6xx (a draining hop answers 503), gets no new requests until a probe
/// is answered again. Any other answer, even 404 or 407, shows the server is up. Probes go from a socket of their
/// own, so their answers never meet the proxy's transactions.
/// </summary>
internal sealed class NextHopProber(
    NextHopRegistry registry,
    IOptions<NextHopOptions> options,
    IOptions<SipTransportOptions> transport,
    ILogger<NextHopProber> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _waiting = new(StringComparer.Ordinal);
    private const int MaxDatagram = 65_535;
    private readonly ConcurrentDictionary<IPEndPoint, int> _failures = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NextHopProbeOptions probe = options.Value.Probe;
        if (!probe.Enabled) return;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(transport.Value.ListenAddress), 0));
        var local = (IPEndPoint)socket.LocalEndPoint!;
        string sentBy = $"{transport.Value.AdvertisedAddress ?? (local.Address.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString() : local.Address.ToString())}:{local.Port}";
        Task receiving = ReceiveAsync(socket, stoppingToken);

        using var timer = new PeriodicTimer(probe.Interval);
        do
        {
            foreach (NextHopSet set in registry.Sets)
            {
                IReadOnlyList<NextHopTarget> targets = await set.GetTargetsAsync(stoppingToken);
                await Task.WhenAll(targets.Select(target => ProbeAsync(socket, sentBy, set, target, probe, stoppingToken)));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        await receiving;
    }

    private async Task ProbeAsync(Socket socket, string sentBy, NextHopSet set, NextHopTarget target, NextHopProbeOptions probe, CancellationToken stoppingToken)
    {
        string callId = $"{Guid.NewGuid():N}@probe";
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[callId] = answer;
        int status = 0;
        try
        {
            await socket.SendToAsync(Options(target.EndPoint, sentBy, callId), target.EndPoint, stoppingToken);
            status = await answer.Task.WaitAsync(probe.Timeout, stoppingToken);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException)
        {
            // Unanswered or unreachable: a failure.
        }
        finally
        {
            _waiting.TryRemove(callId, out _);
        }

        bool answered = status is >= 100 and < 500;
        if (answered)
        {
            if (_failures.TryRemove(target.EndPoint, out int failed) && failed >= probe.FailuresBeforeDown)
            {
                logger.LogInformation("{Service} {Target} answers probes again ({Status}): back in rotation", set.Name, target.EndPoint, status);
            }
            set.Selector.ReportProbe(target.EndPoint, alive: true);
            return;
        }
        int failures = _failures.AddOrUpdate(target.EndPoint, 1, (_, n) => n + 1);
        if (failures < probe.FailuresBeforeDown) return;
        if (failures == probe.FailuresBeforeDown)
        {
            logger.LogWarning("{Service} {Target} failed {Failures} probes ({Status}): no new requests until it answers", set.Name, target.EndPoint, failures,
                status == 0 ? "no answer" : status.ToString());
        }
        set.Selector.ReportProbe(target.EndPoint, alive: false);
    }

    private async Task ReceiveAsync(Socket socket, CancellationToken stoppingToken)
    {
        byte[] buffer = new byte[MaxDatagram];
        while (!stoppingToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stoppingToken)).ReceivedBytes;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP unreachable from a dead target, reported on the next receive
            }
            if (SipParser.TryParse(buffer.AsSpan(0, length), out SipMessage? response, out _) != SipParseStatus.Ok) continue;
            using (response)
            {
                if (!response!.IsRequest && response.StatusCode >= 200
                    && _waiting.TryGetValue(Encoding.ASCII.GetString(response.CallId), out TaskCompletionSource<int>? waiting))
                {
                    waiting.TrySetResult(response.StatusCode);
                }
            }
        }
    }

    private static byte[] Options(IPEndPoint target, string sentBy, string callId) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:{target} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {sentBy};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:probe@{sentBy}>;tag={Guid.NewGuid():N}\r\n" +
        $"To: <sip:{target}>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n");
}
