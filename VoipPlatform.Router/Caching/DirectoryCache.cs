using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoipPlatform.Contracts.Directory;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Contracts.Users;
using VoipPlatform.Router.Configuration;

namespace VoipPlatform.Router.Caching;

/// <summary>
/// Lets the router reuse the business-logic API's answers (routing plans, credentials, served domains) and stay
/// correct when the data behind them changes. The API increments an epoch in the same <c>MULTI</c>/<c>EXEC</c> as
/// every committed write and publishes it afterwards on <see cref="DirectoryChanges.Channel"/>; this class listens on
/// the router's Redis connection and drops every answer on each message. While the subscription is down (messages
/// may be lost) nothing is served from or added to the caches; once a probe published on the channel comes back
/// through the subscription, everything is dropped once more and caching resumes. docs/architecture.md, "Decision
/// cache", has the whole argument.
/// </summary>
public sealed class DirectoryCache : IHostedService, IDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(DirectoryChanges.Channel);
    private const string ProbePrefix = "probe:";
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<DirectoryCache> _logger;
    private readonly Lock _flushLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _probeId = Guid.NewGuid().ToString("N");
    private long _generation;
    private volatile bool _live;
    private volatile string? _expectedProbe;
    private volatile TaskCompletionSource _probeArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _recovering;
    private bool _subscribed;
    private long _probes;
    private Task _recovery = Task.CompletedTask;

    public DirectoryCache(IConnectionMultiplexer redis, IOptions<RouterOptions> options, TimeProvider time, ILogger<DirectoryCache> logger)
    {
        _redis = redis;
        _logger = logger;
        RouterOptions o = options.Value;
        Plans = new AnswerCache<CallRouteRequest, RoutePlan>("plans", this, o.DecisionCacheTime, o.DecisionCacheEntries, time, RouteFactsComparer.Instance);
        Credentials = new AnswerCache<(string User, string Domain), UserCredentials?>("credentials", this, o.DirectoryCacheTime, o.DecisionCacheEntries, time);
        ServedDomains = new AnswerCache<string, bool>("domains", this, o.DirectoryCacheTime, o.DecisionCacheEntries, time, StringComparer.Ordinal);
    }

    /// <summary>Routing plans by the call's facts (all but the Call-ID).</summary>
    public AnswerCache<CallRouteRequest, RoutePlan> Plans { get; }

    /// <summary>Credentials (or their absence) by user and domain.</summary>
    public AnswerCache<(string User, string Domain), UserCredentials?> Credentials { get; }

    /// <summary>"Is this domain served" by domain.</summary>
    public AnswerCache<string, bool> ServedDomains { get; }

    /// <summary>True while the subscription is known to deliver the change notices: only then are answers reused.</summary>
    public bool IsLive => _live;

    /// <summary>Incremented by every flush (change notice, subscription lost, subscription proven again).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// Taken before asking the API, handed to <see cref="AnswerCache{TKey,TValue}.Add"/> with the answer: the answer is
    /// kept only when no flush happened in between. Negative (never kept) while the subscription is down.
    /// </summary>
    public long Ticket()
    {
        // Generation before liveness: going down clears _live before it bumps the generation, coming up bumps the
        // generation before it sets _live, so a ticket taken across either transition is always stale.
        long generation = Interlocked.Read(ref _generation);
        return _live ? generation : -1;
    }

    /// <summary>
    /// Subscribes in the background: the router starts at once and asks the API every time until the subscription
    /// is proven (normally within milliseconds; longer only while Redis is unreachable).
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        StartRecovery();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _live = false;
        await _stopping.CancelAsync();
        try
        {
            await _recovery.WaitAsync(cancellationToken);
            await _redis.GetSubscriber().UnsubscribeAsync(Channel, OnMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            // Shutting down: nothing left to keep correct.
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Drops every cached answer; answers asked for before this are not kept either.</summary>
    internal void Flush(string reason)
    {
        lock (_flushLock)
        {
            long generation = Interlocked.Increment(ref _generation);
            Plans.Reset(generation);
            Credentials.Reset(generation);
            ServedDomains.Reset(generation);
        }
        CacheMetrics.Flushes.Add(1);
        _logger.LogDebug("Directory cache flushed: {Reason}", reason);
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        Flush($"directory change {message}");
        if (!_live && _expectedProbe is { } expected && message == expected)
        {
            // The probe published after the subscription was lost came back through it: it delivers again, and any
            // change committed before the flush above is what the API answers from now on.
            Flush("subscription proven");
            _live = true;
            _probeArrived.TrySetResult();
            _logger.LogInformation("Directory cache live: change notices arrive on {Channel}", DirectoryChanges.Channel);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Any connection: the subscription's own, and (RESP3) the interactive one that may carry it. Conservative —
        // a lost interactive connection only costs caching until the probe comes back.
        bool wasLive = _live;
        _live = false;
        Flush($"{e.ConnectionType} connection failed");
        if (wasLive)
        {
            _logger.LogWarning("Directory cache bypassed: Redis {ConnectionType} connection to {EndPoint} failed ({FailureType})",
                e.ConnectionType, e.EndPoint, e.FailureType);
        }
        StartRecovery();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) =>
        _logger.LogDebug("Redis {ConnectionType} connection restored; directory cache waits for its probe", e.ConnectionType);

    private void StartRecovery()
    {
        if (Interlocked.Exchange(ref _recovering, 1) == 1) return;
        _recovery = Task.Run(RecoverAsync);
    }

    /// <summary>
    /// Publishes probes on the channel until one comes back through the subscription. Restored-connection events alone
    /// do not prove the client has subscribed again; a message that arrived does.
    /// </summary>
    private async Task RecoverAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (_live)
                {
                    Volatile.Write(ref _recovering, 0);
                    // A failure between the check and the reset found _recovering set and started nothing: look again.
                    if (_live || Interlocked.Exchange(ref _recovering, 1) == 1) return;
                }
                var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _probeArrived = arrived;
                string probe = $"{ProbePrefix}{_probeId}:{Interlocked.Increment(ref _probes)}";
                _expectedProbe = probe;
                try
                {
                    if (!_subscribed)
                    {
                        // Once subscribed, the client subscribes again by itself after every reconnection.
                        await _redis.GetSubscriber().SubscribeAsync(Channel, OnMessage);
                        _subscribed = true;
                    }
                    await _redis.GetSubscriber().PublishAsync(Channel, probe);
                    await arrived.Task.WaitAsync(ProbeWait, _stopping.Token);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    _logger.LogDebug("Directory cache {Step} failed: {Reason}", _subscribed ? "probe" : "subscription", ex.Message);
                    await Task.Delay(RetryDelay, _stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
