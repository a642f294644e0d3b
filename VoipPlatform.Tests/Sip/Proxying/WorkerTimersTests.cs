using System.Net;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Tests.Sip.Proxying;

/// <summary>A worker's own transaction timers, driven by a fake clock: never early, stoppable, bounded in memory.</summary>
public sealed class WorkerTimersTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(TransactionTimer Which, TimeSpan At)> _fired = [];
    private readonly WorkerTimers _timers;
    private int _posts;
    private bool _queueFull;

    public WorkerTimersTests() => _timers = new WorkerTimers(_time, Post);

    public void Dispose() => _timers.Dispose();

    private static ClientTransaction NewTransaction() => new($"z9hG4bK{Guid.NewGuid():N}", isInvite: false, new IPEndPoint(IPAddress.Loopback, 5060), null);

    /// <summary>What the worker does with the item it is posted: fire what is due, as the timers' owner would.</summary>
    private bool Post()
    {
        if (_queueFull) return false;
        _posts++;
        _timers.FireDue((transaction, which, timer) =>
        {
            if (ReferenceEquals(transaction!.Timer(which), timer)) _fired.Add((which, _time.GetUtcNow() - Start));
        });
        return true;
    }

    private static readonly DateTimeOffset Start = new FakeTimeProvider().GetUtcNow();

    private void StartTimer(ClientTransaction transaction, TransactionTimer which, TimeSpan due) =>
        transaction.SetTimer(which, _timers.Start(transaction, which, due));

    [Fact]
    public void A_timer_fires_when_due_and_not_a_tick_before()
    {
        StartTimer(NewTransaction(), TransactionTimer.Retransmit, TimeSpan.FromMilliseconds(500));

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(_fired);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([(TransactionTimer.Retransmit, TimeSpan.FromMilliseconds(500))], _fired);
        Assert.Equal(0, _timers.Running);
    }

    [Fact]
    public void Timers_fire_in_due_order_and_a_stopped_or_replaced_one_never_does()
    {
        ClientTransaction a = NewTransaction(), b = NewTransaction();
        StartTimer(a, TransactionTimer.Timeout, TimeSpan.FromSeconds(32));
        StartTimer(a, TransactionTimer.Retransmit, TimeSpan.FromMilliseconds(500));
        StartTimer(b, TransactionTimer.Retransmit, TimeSpan.FromMilliseconds(500));
        StartTimer(b, TransactionTimer.Linger, TimeSpan.FromSeconds(5));
        b.StopTimer(TransactionTimer.Retransmit);
        StartTimer(a, TransactionTimer.Retransmit, TimeSpan.FromSeconds(1)); // replaces a's 500 ms one

        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal([TransactionTimer.Retransmit, TransactionTimer.Linger, TransactionTimer.Timeout], _fired.Select(f => f.Which));
        Assert.Equal(0, _timers.Running);
        Assert.Equal(0, _timers.Held);
    }

    [Fact]
    public void Stopped_long_timers_do_not_pile_up()
    {
        var transactions = Enumerable.Range(0, 5000).Select(_ => NewTransaction()).ToArray();
        foreach (ClientTransaction transaction in transactions) StartTimer(transaction, TransactionTimer.ProvisionalTimeout, TimeSpan.FromSeconds(181));
        foreach (ClientTransaction transaction in transactions.Skip(1000)) transaction.StopTimer(TransactionTimer.ProvisionalTimeout);

        Assert.Equal(1000, _timers.Running);
        Assert.InRange(_timers.Held, 1000, 2 * 1000 + 1024);
    }

    [Fact]
    public void A_full_queue_delays_the_timers_but_does_not_lose_them()
    {
        StartTimer(NewTransaction(), TransactionTimer.Timeout, TimeSpan.FromSeconds(1));
        _queueFull = true;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_fired);

        _queueFull = false;
        _time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Single(_fired);
    }

    [Fact]
    public void Under_load_timers_due_close_together_fire_together()
    {
        for (int i = 0; i < 100; i++) StartTimer(NewTransaction(), TransactionTimer.Retransmit, TimeSpan.FromMilliseconds(500 + i * 0.01));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.Equal(100, _fired.Count);
        Assert.InRange(_posts, 1, 3);
    }
}
