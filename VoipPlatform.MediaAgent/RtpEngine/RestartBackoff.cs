namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// Exponential back-off between restarts, capped: a crash-looping RTPEngine (bad argument, port taken) is retried
/// ever more slowly instead of spinning, and one that ran well for a while is restarted quickly again.
/// </summary>
public sealed class RestartBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private TimeSpan _next;

    /// <param name="initial">The first wait.</param>
    /// <param name="maximum">The cap; an uptime this long resets the wait to <paramref name="initial"/>.</param>
    public RestartBackoff(TimeSpan initial, TimeSpan maximum)
    {
        _initial = initial;
        _maximum = maximum;
        _next = initial;
    }

    /// <summary>The wait before the next restart of a process that ran for <paramref name="uptime"/>.</summary>
    public TimeSpan Next(TimeSpan uptime)
    {
        if (uptime >= _maximum) _next = _initial;
        TimeSpan delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _maximum.Ticks));
        return delay;
    }
}
