using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Locates the server a SIP URI's request goes to (RFC 3263 section 4) through the <see cref="ServerLocator"/>: an IP
/// address (or <c>localhost</c>) is used as it is; a name with a port is looked up by A/AAAA; a name without one by SRV
/// (<c>_sips._tcp</c> for <c>sips:</c> and <c>transport=tls</c>, <c>_sip._tcp</c> for <c>transport=tcp</c>,
/// <c>_sip._udp</c> for <c>transport=udp</c>, else <c>_sip._udp</c> then <c>_sip._tcp</c>), and by A/AAAA on 5060 (5061
/// for TLS) when it has no SRV records. NAPTR is not asked (RFC 3263 makes it optional). Servers that failed are held
/// down and tried last. The egress allow-list is not applied here but by the core, to whatever address is picked.
/// </summary>
public sealed class SipServerResolver
{
    /// <summary>The standard port of SIP over TLS (RFC 3261 section 19.1.2).</summary>
    public const int DefaultTlsPort = 5061;

    /// <summary>Reason phrase of the 404 for a name that locates no server.</summary>
    public const string UnresolvableReason = "Unresolvable destination";

    /// <summary>Reason phrase of the 503 when the DNS server failed.</summary>
    public const string DnsFailureReason = "DNS failure";

    private readonly ServerLocator _locator;
    private readonly TargetSelector _selector;
    private readonly ILogger _logger;
    private readonly Action<IPEndPoint, int> _markFailed;

    /// <summary>Creates the resolver.</summary>
    /// <param name="locator">DNS client and answer cache.</param>
    /// <param name="selector">Ordering by priority and weight, and the hold-down of failed servers.</param>
    /// <param name="answerTimeout">How long a silent INVITE waits before the next server is tried.</param>
    /// <param name="logger">Log; none when null.</param>
    public SipServerResolver(ServerLocator locator, TargetSelector selector, TimeSpan answerTimeout, ILogger<SipServerResolver>? logger = null)
    {
        _locator = locator;
        _selector = selector;
        AnswerTimeout = answerTimeout;
        _logger = logger ?? NullLogger<SipServerResolver>.Instance;
        _markFailed = (server, status) =>
        {
            if (status is SipStatus.RequestTimeout or SipStatus.ServiceUnavailable) _selector.MarkFailed(server);
        };
    }

    /// <summary>How long a silent INVITE to a located server waits before the next one is tried.</summary>
    public TimeSpan AnswerTimeout { get; }

    /// <summary>
    /// The servers of <paramref name="uri"/> (its <c>maddr</c> when it has one), in the order to try them. Completes
    /// synchronously for IP addresses and while DNS answers are cached.
    /// </summary>
    /// <param name="uri">A <c>sip:</c> or <c>sips:</c> URI.</param>
    /// <param name="keyHash">Spreads requests over servers of equal priority by weight (<see cref="TargetSelector.KeyHash"/> of the Call-ID).</param>
    /// <param name="cancellationToken">Stops a lookup.</param>
    public ValueTask<SipServers> ResolveAsync(ReadOnlySpan<byte> uri, ulong keyHash, CancellationToken cancellationToken = default)
    {
        SipUri parsed = SipUri.Parse(uri);
        if (!parsed.IsValid) return new(new SipServers(SipStatus.NotFound, UnresolvableReason));
        ReadOnlySpan<byte> maddr = parsed.Parameter("maddr"u8);
        ReadOnlySpan<byte> host = maddr.IsEmpty ? parsed.Host : maddr;
        ReadOnlySpan<byte> transportParameter = parsed.Parameter("transport"u8);
        SipProtocol? transport = parsed.IsSecure || Ascii.EqualsIgnoreCase(transportParameter, "tls"u8) ? SipProtocol.Tls
            : Ascii.EqualsIgnoreCase(transportParameter, "tcp"u8) ? SipProtocol.Tcp
            : null;
        string? serverName = transport == SipProtocol.Tls ? Encoding.ASCII.GetString(parsed.Host).Trim('[', ']') : null;
        int defaultPort = transport == SipProtocol.Tls ? DefaultTlsPort : SipTransportOptions.DefaultSipPort;

        if (SipTargets.TryResolve(host, parsed.Port == 0 ? defaultPort : parsed.Port, out IPEndPoint? literal))
        {
            return new(new SipServers([literal!], transport, serverName, _markFailed));
        }
        string name = Encoding.ASCII.GetString(host).TrimEnd('.');
        return LocateAsync(name, parsed.Port, transport, serverName, SrvNames(transport, transportParameter, name), defaultPort, keyHash, cancellationToken);
    }

    /// <summary>The SRV names to ask, in order (RFC 3263 section 4.1 without NAPTR).</summary>
    private static string[] SrvNames(SipProtocol? transport, ReadOnlySpan<byte> transportParameter, string name) =>
        transport == SipProtocol.Tls ? [$"_sips._tcp.{name}"]
        : transport == SipProtocol.Tcp ? [$"_sip._tcp.{name}"]
        : Ascii.EqualsIgnoreCase(transportParameter, "udp"u8) ? [$"_sip._udp.{name}"]
        : [$"_sip._udp.{name}", $"_sip._tcp.{name}"];

    private async ValueTask<SipServers> LocateAsync(string name, int port, SipProtocol? transport, string? serverName, string[] srvNames, int defaultPort,
        ulong keyHash, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<NextHopTarget> targets = [];
            if (port == 0)
            {
                foreach (string srv in srvNames)
                {
                    targets = await _locator.ResolveAsync(srv, cancellationToken);
                    if (targets.Count == 0) continue;
                    // Found over TCP only: the request must go over TCP (the core would otherwise pick UDP).
                    if (transport is null && srv.StartsWith("_sip._tcp.", StringComparison.Ordinal)) transport = SipProtocol.Tcp;
                    break;
                }
            }
            if (targets.Count == 0) targets = await _locator.ResolveHostAsync(name, port == 0 ? defaultPort : port, cancellationToken);
            if (targets.Count == 0)
            {
                _logger.LogInformation("{Name} locates no SIP server (no SRV, A or AAAA record)", name);
                return new SipServers(SipStatus.NotFound, UnresolvableReason);
            }
            NextHopTarget[] ordered = _selector.OrderByAffinity(targets, keyHash);
            var endPoints = new IPEndPoint[ordered.Length];
            for (int i = 0; i < ordered.Length; i++) endPoints[i] = ordered[i].EndPoint;
            return new SipServers(endPoints, transport, serverName, _markFailed);
        }
        catch (NextHopLookupException ex)
        {
            _logger.LogWarning("Cannot locate {Name}: {Reason}", name, ex.Message);
            return new SipServers(SipStatus.ServiceUnavailable, DnsFailureReason);
        }
    }
}
