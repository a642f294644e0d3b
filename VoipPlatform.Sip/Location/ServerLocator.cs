using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Looks up the servers of a SIP service by DNS SRV (RFC 3263 section 4.2, RFC 2782) on a configured DNS server,
/// with the IPv4 and IPv6 addresses of their targets, and the addresses of plain host names (A/AAAA). Answers are cached for the smallest TTL of the records they were built from
/// (at least <see cref="ServerLocatorOptions.MinimumCacheTime"/>), so calls do not wait for DNS; when the DNS server fails, the last answer keeps being used (and asked again
/// shortly), because losing every next hop over a DNS hiccup would fail calls that could have gone through.
/// </summary>
public sealed class ServerLocator
{
    /// <summary>How soon a stale answer kept after a DNS failure is asked for again.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly LookupClient _dns;
    private readonly TimeProvider _time;
    private readonly TimeSpan _negativeTtl;
    private readonly ILogger _logger;
    private readonly TimeSpan _minimumTtl;
    private readonly ConcurrentDictionary<string, CachedAnswer> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<NextHopTarget>>> _refreshing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the locator for the configured DNS server.</summary>
    /// <param name="options">DNS server, timeout, negative caching.</param>
    /// <param name="time">Clock for the answer cache.</param>
    /// <param name="logger">Log for DNS failures; none when null.</param>
    public ServerLocator(IOptions<ServerLocatorOptions> options, TimeProvider time, ILogger<ServerLocator>? logger = null)
    {
        ServerLocatorOptions o = options.Value;
        IPEndPoint server = Proxying.NextHopParser.Parse(o.Server);
        _dns = new LookupClient(new LookupClientOptions(new NameServer(server))
        {
            UseCache = false,        // cached here, on the injected clock, with stale answers kept on failure
            Timeout = o.Timeout,
            Retries = 1,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
        });
        _negativeTtl = o.NegativeCacheTime;
        _minimumTtl = o.MinimumCacheTime;
        _time = time;
        _logger = logger ?? NullLogger<ServerLocator>.Instance;
    }

    /// <summary>
    /// All servers of a service (<c>_sip._udp.example.com</c>), with addresses; empty when there are none. Completes
    /// synchronously while the cached answer is fresh.
    /// </summary>
    /// <exception cref="NextHopLookupException">The DNS server failed and there is no earlier answer.</exception>
    public ValueTask<IReadOnlyList<NextHopTarget>> ResolveAsync(string service, CancellationToken cancellationToken = default) =>
        Lookup(service, cancellationToken);

    /// <summary>
    /// The addresses of a host (A and AAAA records, RFC 3263 section 4.2 without SRV) as targets on
    /// <paramref name="port"/>; empty when the name has none (NXDOMAIN included). Cached like <see cref="ResolveAsync"/>.
    /// </summary>
    /// <exception cref="NextHopLookupException">The DNS server failed and there is no earlier answer.</exception>
    public ValueTask<IReadOnlyList<NextHopTarget>> ResolveHostAsync(string host, int port, CancellationToken cancellationToken = default) =>
        Lookup($"{host}{HostKeySeparator}{port}", cancellationToken);

    /// <summary>Separates host and port in the cache key of an address lookup; no SRV name contains it.</summary>
    private const char HostKeySeparator = '#';

    private ValueTask<IReadOnlyList<NextHopTarget>> Lookup(string key, CancellationToken cancellationToken)
    {
        bool cached = _answers.TryGetValue(key, out CachedAnswer? answer);
        if (cached && _time.GetTimestamp() < answer!.ExpiresAt) return new(answer.Targets);
        // One query per name at a time: the calls that arrive meanwhile wait for the same answer. The shared query is
        // not cancelled with the caller that happened to start it.
        Task<IReadOnlyList<NextHopTarget>> refresh = _refreshing.GetOrAdd(key, name => RefreshAsync(name, answer, CancellationToken.None));
        return new(AwaitRefreshAsync(key, refresh, cancellationToken));
    }

    private async Task<IReadOnlyList<NextHopTarget>> AwaitRefreshAsync(string service, Task<IReadOnlyList<NextHopTarget>> refresh, CancellationToken cancellationToken)
    {
        try
        {
            return await refresh.WaitAsync(cancellationToken);
        }
        finally
        {
            // Only this query's entry: a newer one may already have taken its place.
            if (refresh.IsCompleted) _refreshing.TryRemove(KeyValuePair.Create(service, refresh));
        }
    }

    private async Task<IReadOnlyList<NextHopTarget>> RefreshAsync(string service, CachedAnswer? stale, CancellationToken cancellationToken)
    {
        try
        {
            (IReadOnlyList<NextHopTarget> targets, TimeSpan ttl) = await QueryAsync(service, cancellationToken);
            // A TTL of 0 (Consul's default) would otherwise cost a DNS query per call.
            _answers[service] = new CachedAnswer(targets, Expiry(targets.Count == 0 ? _negativeTtl : ttl < _minimumTtl ? _minimumTtl : ttl));
            return targets;
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or TimeoutException
                                   || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (stale is null) throw new NextHopLookupException($"DNS lookup of {service} failed: {ex.Message}", ex);
            _logger.LogWarning("DNS lookup of {Service} failed ({Reason}); keeping the last answer ({Count} targets)", service, ex.Message, stale.Targets.Count);
            _answers[service] = stale with { ExpiresAt = Expiry(RetryAfterFailure) };
            return stale.Targets;
        }
    }

    private async Task<(IReadOnlyList<NextHopTarget>, TimeSpan)> QueryAsync(string key, CancellationToken cancellationToken)
    {
        var targets = new List<NextHopTarget>();
        int ttl = int.MaxValue;
        int separator = key.LastIndexOf(HostKeySeparator);
        if (separator > 0)
        {
            string name = key[..separator];
            int port = int.Parse(key.AsSpan(separator + 1), System.Globalization.CultureInfo.InvariantCulture);
            ttl = await AddAddressesAsync(name, port, 0, 0, null, targets, ttl, cancellationToken);
            return (targets, TimeSpan.FromSeconds(ttl == int.MaxValue ? 0 : ttl));
        }
        IDnsQueryResponse response = await QueryCheckedAsync(key, QueryType.SRV, cancellationToken);
        foreach (SrvRecord srv in response.Answers.SrvRecords())
        {
            ttl = Math.Min(ttl, srv.TimeToLive);
            ttl = await AddAddressesAsync(srv.Target.Value.TrimEnd('.'), srv.Port, srv.Priority, srv.Weight, response, targets, ttl, cancellationToken);
        }
        return (targets, TimeSpan.FromSeconds(ttl == int.MaxValue ? 0 : ttl));
    }

    /// <summary>
    /// Adds the IPv4 and IPv6 addresses of <paramref name="host"/> as targets: from the additional section of an SRV
    /// answer when the server put them there, else asked for (A, then AAAA). Returns the smallest TTL seen.
    /// </summary>
    private async Task<int> AddAddressesAsync(string host, int port, int priority, int weight, IDnsQueryResponse? srvAnswer,
        List<NextHopTarget> targets, int ttl, CancellationToken cancellationToken)
    {
        var records = srvAnswer?.Additionals.AddressRecords().Where(a => a.DomainName.Value.TrimEnd('.') == host).ToList() ?? [];
        if (records.Count == 0)
        {
            records.AddRange((await QueryCheckedAsync(host, QueryType.A, cancellationToken)).Answers.ARecords());
            records.AddRange((await QueryCheckedAsync(host, QueryType.AAAA, cancellationToken)).Answers.AaaaRecords());
        }
        foreach (AddressRecord address in records)
        {
            ttl = Math.Min(ttl, address.TimeToLive);
            targets.Add(new NextHopTarget(host, new IPEndPoint(address.Address, port), priority, weight));
        }
        return ttl;
    }

    private async Task<IDnsQueryResponse> QueryCheckedAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response = await _dns.QueryAsync(name, type, cancellationToken: cancellationToken);
        // No such name, or a server that serves no such zone (dnsmasq without upstream): no records, not a failure.
        if (response.HasError && response.Header.ResponseCode is not (DnsHeaderResponseCode.NotExistentDomain or DnsHeaderResponseCode.Refused))
        {
            throw new DnsResponseException((DnsResponseCode)response.Header.ResponseCode, response.ErrorMessage);
        }
        return response;
    }

    private long Expiry(TimeSpan ttl) => _time.GetTimestamp() + (long)(ttl.TotalSeconds * _time.TimestampFrequency);

    private sealed record CachedAnswer(IReadOnlyList<NextHopTarget> Targets, long ExpiresAt);
}
