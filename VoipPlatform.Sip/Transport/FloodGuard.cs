using System.Net;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;

namespace VoipPlatform.Sip.Transport;

/// <summary>
/// A token bucket per source address: a source sending requests faster than the configured rate has the excess
/// dropped before any parsing work is spent on routing it, without slowing any other source. Logged once per
/// source and minute, so a flood does not also flood the logs. Responses are never limited (they answer our own
/// requests). Called from the single receive loop, so it needs no locks.
/// </summary>
public sealed class FloodGuard
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(60);
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private readonly IPNetwork[] _trusted;
    private readonly double _rate;
    private readonly double _capacity;
    private readonly int _maxSources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastSweep;

    private sealed class Bucket
    {
        public double Tokens;
        public long LastSeen;
        public long LastLogged;
    }

    /// <summary>Creates the guard; <see cref="IsEnabled"/> is false when the rate is 0.</summary>
    public FloodGuard(FloodProtectionOptions options, TimeProvider time, ILogger<FloodGuard> logger)
    {
        _rate = options.RequestsPerSecond;
        _capacity = Math.Max(1, options.RequestsPerSecond * options.BurstSeconds);
        _maxSources = options.MaxTrackedSources;
        _trusted = [.. options.TrustedNetworks.Select(n => IPNetwork.TryParse(n.Trim(), out var net)
            ? net
            : throw new FormatException($"Sip:Flood:TrustedNetworks entry '{n}' is not a network in CIDR form."))];
        _time = time;
        _logger = logger;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>True when a rate is configured.</summary>
    public bool IsEnabled => _rate > 0;

    /// <summary>Counts one request from <paramref name="source"/>; false when it is over its rate and must be dropped.</summary>
    public bool Admit(IPAddress source)
    {
        if (!IsEnabled || IsTrusted(source)) return true;
        long now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(source, out Bucket? bucket))
        {
            if (_buckets.Count >= _maxSources) Sweep(now, force: true);
            bucket = new Bucket { Tokens = _capacity, LastSeen = now, LastLogged = long.MinValue };
            _buckets[source] = bucket;
        }
        double elapsed = _time.GetElapsedTime(bucket.LastSeen, now).TotalSeconds;
        bucket.Tokens = Math.Min(_capacity, bucket.Tokens + elapsed * _rate);
        bucket.LastSeen = now;
        if (_time.GetElapsedTime(_lastSweep, now) > IdleAfter) Sweep(now, force: false);

        if (bucket.Tokens >= 1)
        {
            bucket.Tokens -= 1;
            return true;
        }
        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "flood"));
        if (bucket.LastLogged == long.MinValue || _time.GetElapsedTime(bucket.LastLogged, now) > IdleAfter)
        {
            bucket.LastLogged = now;
            _logger.LogWarning("SIP source {Source} exceeds {Rate} requests/s: its excess requests are dropped (logged once a minute)", source, _rate);
        }
        return false;
    }

    private bool IsTrusted(IPAddress source)
    {
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        foreach (IPNetwork network in _trusted)
        {
            if (network.Contains(source)) return true;
        }
        return false;
    }

    private void Sweep(long now, bool force)
    {
        _lastSweep = now;
        foreach (var (address, bucket) in _buckets)
        {
            if (force || _time.GetElapsedTime(bucket.LastSeen, now) > IdleAfter) _buckets.Remove(address);
            if (force && _buckets.Count < _maxSources / 2) break;
        }
    }
}
