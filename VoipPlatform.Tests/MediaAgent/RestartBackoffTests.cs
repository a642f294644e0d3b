using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The wait between RTPEngine restarts.</summary>
public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_crash_loop_waits_twice_as_long_each_time_up_to_the_maximum()
    {
        var backoff = new RestartBackoff(Second, 8 * Second);

        var waits = Enumerable.Range(0, 6).Select(_ => backoff.Next(TimeSpan.Zero)).ToArray();

        Assert.Equal([Second, 2 * Second, 4 * Second, 8 * Second, 8 * Second, 8 * Second], waits);
    }

    [Fact]
    public void A_process_that_ran_as_long_as_the_maximum_is_restarted_after_the_first_wait_again()
    {
        var backoff = new RestartBackoff(Second, 8 * Second);
        for (int i = 0; i < 5; i++) backoff.Next(TimeSpan.Zero);

        Assert.Equal(Second, backoff.Next(8 * Second));
        Assert.Equal(2 * Second, backoff.Next(TimeSpan.Zero));
    }
}
