using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Finds the servers of a SIP service by DNS SRV (RFC 3263 section 4.2, RFC 2782): records and addresses are
/// cached for their TTL by the DNS client, a target is chosen by priority then weight, and a target that failed is
/// avoided for a hold-down time so the next call fails over to the others.
/// </summary>
public sealed class ServerLocator
{
    private readonly LookupClient _dns;
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdDown;
    private readonly ConcurrentDictionary<IPEndPoint, long> _failedUntil = new();
    private readonly Dictionary<IPEndPoint, long> _credit = [];
    private readonly Lock _selection = new();

    /// <summary>Creates the locator for the configured DNS server.</summary>
    /// <param name="options">DNS server, timeout, hold-down.</param>
    /// <param name="time">Clock for hold-downs.</param>
    public ServerLocator(IOptions<ServerLocatorOptions> options, TimeProvider time)
    {
        ServerLocatorOptions o = options.Value;
        IPEndPoint server = Proxying.NextHopParser.Parse(o.Server);
        _dns = new LookupClient(new LookupClientOptions(new NameServer(server))
        {
            UseCache = true,         // answers are kept for their TTL
            Timeout = o.Timeout,
            Retries = 1,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
        });
        _holdDown = o.FailedTargetHoldDown;
        _time = time;
    }

    /// <summary>All targets of a service (<c>_sip._udp.example.com</c>), with addresses; empty when there are none.</summary>
    public async Task<IReadOnlyList<SrvTarget>> ResolveAsync(string service, CancellationToken cancellationToken = default)
    {
        IDnsQueryResponse response = await _dns.QueryAsync(service, QueryType.SRV, cancellationToken: cancellationToken);
        var targets = new List<SrvTarget>();
        foreach (SrvRecord srv in response.Answers.SrvRecords())
        {
            string host = srv.Target.Value.TrimEnd('.');
            // Prefer the addresses the server put in the additional section; ask for them otherwise.
            IEnumerable<IPAddress> addresses = response.Additionals.ARecords().Where(a => a.DomainName.Value.TrimEnd('.') == host).Select(a => a.Address);
            if (!addresses.Any())
            {
                IDnsQueryResponse a = await _dns.QueryAsync(host, QueryType.A, cancellationToken: cancellationToken);
                addresses = a.Answers.ARecords().Select(r => r.Address);
            }
            foreach (IPAddress address in addresses)
            {
                targets.Add(new SrvTarget(host, new IPEndPoint(address, srv.Port), srv.Priority, srv.Weight));
            }
        }
        return targets;
    }

    /// <summary>
    /// Picks a target: the lowest priority that has one not held down, then by weight within it. Weights are
    /// honoured by smooth weighted round robin rather than RFC 2782's random draw: the same shares, without the
    /// variance (75/25 gives exactly 3 of every 4 picks, spread out). Zero weights share equally only when all are
    /// zero. Null when every target is held down or there are none.
    /// </summary>
    public SrvTarget? Select(IReadOnlyList<SrvTarget> targets)
    {
        long now = _time.GetTimestamp();
        var usable = targets.Where(t => !_failedUntil.TryGetValue(t.EndPoint, out long until) || now >= until).ToList();
        if (usable.Count == 0) return null;
        int best = usable.Min(t => t.Priority);
        var group = usable.Where(t => t.Priority == best).ToList();
        bool allZero = group.All(t => t.Weight == 0);

        lock (_selection)
        {
            SrvTarget? chosen = null;
            long total = 0, chosenCredit = long.MinValue;
            foreach (SrvTarget target in group)
            {
                int weight = allZero ? 1 : target.Weight;
                total += weight;
                long credit = (_credit.TryGetValue(target.EndPoint, out long c) ? c : 0) + weight;
                _credit[target.EndPoint] = credit;
                if (credit > chosenCredit) (chosen, chosenCredit) = (target, credit);
            }
            _credit[chosen!.EndPoint] = chosenCredit - total;
            return chosen;
        }
    }

    /// <summary>Avoids a target for the hold-down time after a transport error, a timeout or a 503.</summary>
    public void MarkFailed(SrvTarget target) =>
        _failedUntil[target.EndPoint] = _time.GetTimestamp() + (long)(_holdDown.TotalSeconds * _time.TimestampFrequency);
}
