using VoipPlatform.MediaAgent.Diagnostics;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>Relayed-packet totals stay monotonic while RTPEngine's own counters restart with it.</summary>
public sealed class MonotonicTotalTests
{
    [Fact]
    public void A_restart_carries_the_old_processs_total_over()
    {
        var total = new MonotonicTotal();
        total.Observe(100);
        total.Observe(150);

        total.Carry();
        total.Observe(20);

        Assert.Equal(170, total.Value);
    }

    [Fact]
    public void A_drop_in_the_counter_is_taken_as_a_restart_even_unannounced()
    {
        var total = new MonotonicTotal();
        total.Observe(150);

        total.Observe(20);

        Assert.Equal(170, total.Value);
    }
}
