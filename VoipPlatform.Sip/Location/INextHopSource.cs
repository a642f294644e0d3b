namespace VoipPlatform.Sip.Location;

/// <summary>Where the servers of one service come from: DNS SRV, or the addresses given in configuration.</summary>
public interface INextHopSource
{
    /// <summary>What the servers are looked up as (an SRV name, or "configured"), for logs.</summary>
    string Description { get; }

    /// <summary>The servers as known now; completes synchronously while a cached answer is fresh.</summary>
    /// <exception cref="NextHopLookupException">The lookup failed and no earlier answer can stand in.</exception>
    ValueTask<IReadOnlyList<NextHopTarget>> GetTargetsAsync(CancellationToken cancellationToken = default);
}
