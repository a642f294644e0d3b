using System.Net;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// The servers of one service a SIP hop sends to (the proxy's routers, the router's application servers), from one
/// <see cref="INextHopSource"/>, with the selection, hold-down and probe state that go with them. The one interface
/// every hop resolves its next hops through, whether they come from DNS SRV or from configuration.
/// </summary>
public sealed class NextHopSet
{
    private readonly INextHopSource _source;
    private readonly ILogger _logger;
    private IReadOnlyList<NextHopTarget> _known = [];
    private int _lookupFailing;

    /// <summary>Creates the set.</summary>
    /// <param name="name">The service's name, for logs and probes (<c>router</c>, <c>asterisk</c>).</param>
    /// <param name="source">Where its servers come from.</param>
    /// <param name="selector">Selection and health state.</param>
    /// <param name="logger">Log.</param>
    public NextHopSet(string name, INextHopSource source, TargetSelector selector, ILogger logger)
    {
        Name = name;
        _source = source;
        Selector = selector;
        _logger = logger;
        if (source is StaticNextHopSource configured) _known = configured.Targets;
    }

    /// <summary>The service's name.</summary>
    public string Name { get; }

    /// <summary>Where the servers come from, for logs.</summary>
    public string Description => _source.Description;

    /// <summary>Selection, hold-down and probe state.</summary>
    public TargetSelector Selector { get; }

    /// <summary>The servers of the last lookup (empty before the first one of a DNS source).</summary>
    public IReadOnlyList<NextHopTarget> Known => _known;

    /// <summary>
    /// The servers as known now. A failed lookup with nothing to fall back on gives none (and one warning until
    /// lookups work again): the caller answers "no server available" rather than failing on an exception.
    /// </summary>
    public async ValueTask<IReadOnlyList<NextHopTarget>> GetTargetsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            IReadOnlyList<NextHopTarget> targets = await _source.GetTargetsAsync(cancellationToken);
            _known = targets;
            if (Interlocked.Exchange(ref _lookupFailing, 0) == 1) _logger.LogInformation("Next hops of {Service} found again ({Source})", Name, Description);
            return targets;
        }
        catch (NextHopLookupException ex)
        {
            if (Interlocked.Exchange(ref _lookupFailing, 1) == 0) _logger.LogWarning("No next hops for {Service}: {Reason}", Name, ex.Message);
            return [];
        }
    }

    /// <summary>Every server in the order to try them for a key (see <see cref="TargetSelector.OrderByAffinity"/>).</summary>
    /// <param name="keyHash">The key's hash (<see cref="TargetSelector.KeyHash"/> of a Call-ID).</param>
    /// <param name="cancellationToken">Stops a lookup.</param>
    public ValueTask<NextHopTarget[]> OrderAsync(ulong keyHash, CancellationToken cancellationToken = default)
    {
        ValueTask<IReadOnlyList<NextHopTarget>> targets = GetTargetsAsync(cancellationToken);
        return targets.IsCompletedSuccessfully
            ? new(Selector.OrderByAffinity(targets.Result, keyHash))
            : OrderLaterAsync(targets, keyHash);
    }

    private async ValueTask<NextHopTarget[]> OrderLaterAsync(ValueTask<IReadOnlyList<NextHopTarget>> targets, ulong keyHash) =>
        Selector.OrderByAffinity(await targets, keyHash);

    /// <summary>One usable server, or null when there is none.</summary>
    /// <param name="affinity">Requests with the same key get the same server (a conference room); null spreads by weight.</param>
    /// <param name="cancellationToken">Stops a lookup.</param>
    public async ValueTask<NextHopTarget?> PickAsync(string? affinity = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<NextHopTarget> targets = await GetTargetsAsync(cancellationToken);
        return affinity is null ? Selector.Select(targets) : Selector.SelectByAffinity(targets, affinity);
    }

    /// <summary>True when <paramref name="endPoint"/> is one of the servers of the last lookup.</summary>
    public bool Contains(IPEndPoint endPoint)
    {
        foreach (NextHopTarget target in _known)
        {
            if (target.EndPoint.Equals(endPoint)) return true;
        }
        return false;
    }

    /// <summary>Holds a server down after a transport error, a timeout or a 503.</summary>
    public void MarkFailed(NextHopTarget target) => Selector.MarkFailed(target.EndPoint);
}
