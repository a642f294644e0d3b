namespace VoipPlatform.Sip.Location;

/// <summary>
/// Servers given as addresses: <c>host:port</c> entries from configuration, or the endpoints Aspire injects for a
/// referenced resource (<c>services__router__sip__0</c>). All share one priority and weight.
/// </summary>
public sealed class StaticNextHopSource : INextHopSource
{
    private readonly ValueTask<IReadOnlyList<NextHopTarget>> _targets;

    /// <summary>Parses the entries once (names are resolved now, not per call).</summary>
    /// <param name="entries"><c>host:port</c> or <c>scheme://host:port</c>.</param>
    /// <param name="description">Where the entries came from, for logs.</param>
    /// <exception cref="FormatException">An entry is not an address with a port.</exception>
    public StaticNextHopSource(IEnumerable<string> entries, string description)
    {
        Targets = entries.Select(entry => new NextHopTarget(entry, Proxying.NextHopParser.Parse(entry), Priority: 0, Weight: 1)).ToArray();
        _targets = new(Targets);
        Description = description;
    }

    /// <summary>The parsed servers.</summary>
    public IReadOnlyList<NextHopTarget> Targets { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NextHopTarget>> GetTargetsAsync(CancellationToken cancellationToken = default) => _targets;
}
