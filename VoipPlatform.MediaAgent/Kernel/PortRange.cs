using System.Globalization;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>An inclusive range of UDP ports RTPEngine allocates RTP/RTCP pairs from.</summary>
/// <param name="Min">Lowest port.</param>
/// <param name="Max">Highest port.</param>
public readonly record struct PortRange(int Min, int Max)
{
    /// <summary>True when the two ranges share no port.</summary>
    public bool IsDisjointFrom(PortRange other) => Max < other.Min || other.Max < Min;

    /// <summary><c>min-max</c>, e.g. <c>30000-30499</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
