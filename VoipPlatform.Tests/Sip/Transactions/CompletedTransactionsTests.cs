using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using VoipPlatform.Sip.Transactions;

namespace VoipPlatform.Tests.Sip.Transactions;

/// <summary>Completed non-INVITE server transactions kept as key and final response: lookups, timer J, chunk reuse.</summary>
public sealed class CompletedTransactionsTests
{
    private static readonly TimeSpan TimerJ = TimeSpan.FromSeconds(32);
    private static readonly IPEndPoint Uac = new(IPAddress.Loopback, 5070);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static byte[] Response(string marker, int length = 400)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)('a' + (marker.Length + marker[^1] + i) % 26);
        Encoding.ASCII.GetBytes(marker).CopyTo(bytes, 0);
        return bytes;
    }

    private static void AssertAnswers(CompletedTransactions completed, string key, byte[] expected)
    {
        Assert.True(completed.TryGet(key, out ReadOnlySpan<byte> response, out IPEndPoint? target), $"{key} not found");
        Assert.True(response.SequenceEqual(expected), $"{key}: the kept response differs from the one sent");
        Assert.Equal(Uac, target);
    }

    [Fact]
    public void A_retransmission_gets_the_final_response_until_timer_j_and_not_after()
    {
        var completed = new CompletedTransactions(_time, TimerJ);
        byte[] ok = Response("SIP/2.0 200 OK");
        completed.Add("z9hG4bK-1|127.0.0.1:5070|REGISTER", ok, Uac);

        AssertAnswers(completed, "z9hG4bK-1|127.0.0.1:5070|REGISTER", ok);
        Assert.False(completed.TryGet("z9hG4bK-2|127.0.0.1:5070|REGISTER", out _, out _));
        _time.Advance(TimerJ - TimeSpan.FromMilliseconds(1));
        AssertAnswers(completed, "z9hG4bK-1|127.0.0.1:5070|REGISTER", ok);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(completed.TryGet("z9hG4bK-1|127.0.0.1:5070|REGISTER", out _, out _)); // before any sweep
        Assert.Equal(1, completed.Count);
        completed.Expire();
        Assert.Equal(0, completed.Count);
        Assert.Null(completed.NextExpiry);
    }

    [Fact]
    public void Entries_end_oldest_first_and_the_next_expiry_follows_the_oldest()
    {
        var completed = new CompletedTransactions(_time, TimerJ);
        completed.Add("a", Response("a"), Uac);
        _time.Advance(TimeSpan.FromSeconds(10));
        completed.Add("b", Response("b"), Uac);
        Assert.Equal(TimerJ - TimeSpan.FromSeconds(10), completed.NextExpiry);

        _time.Advance(TimerJ - TimeSpan.FromSeconds(10));
        completed.Expire();
        Assert.Equal(1, completed.Count);
        Assert.False(completed.TryGet("a", out _, out _));
        AssertAnswers(completed, "b", Response("b"));
        Assert.Equal(TimeSpan.FromSeconds(10), completed.NextExpiry);
    }

    [Fact]
    public void Kept_responses_stay_intact_while_chunks_fill_empty_and_are_reused()
    {
        // 20,000 answers of 300-900 bytes, one per millisecond with J = 2 s: about 2,000 live at a time (past the
        // ring's first size), 12 MB written through a handful of 256 KB chunks, so chunks are reused many times over.
        var completed = new CompletedTransactions(_time, TimeSpan.FromSeconds(2));
        var sent = new Dictionary<string, byte[]>();
        var order = new Queue<string>();
        for (int i = 0; i < 20_000; i++)
        {
            string key = $"z9hG4bK-{i}|127.0.0.1:5070|REGISTER";
            byte[] response = Response(key, 300 + i * 37 % 600);
            completed.Add(key, response, Uac);
            sent[key] = response;
            order.Enqueue(key);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            completed.Expire();
            while (order.Count > completed.Count) sent.Remove(order.Dequeue());
            if (i % 2_500 == 2_499)
            {
                foreach ((string live, byte[] expected) in sent) AssertAnswers(completed, live, expected);
            }
        }
        Assert.InRange(completed.Count, 1_900, 2_100);
        Assert.False(completed.TryGet("z9hG4bK-0|127.0.0.1:5070|REGISTER", out _, out _));
    }

    [Fact]
    public void A_response_larger_than_a_chunk_is_kept_whole()
    {
        var completed = new CompletedTransactions(_time, TimerJ);
        byte[] small = Response("small");
        byte[] large = Response("large", CompletedTransactions.ChunkSize + 1);
        completed.Add("small", small, Uac);
        completed.Add("large", large, Uac);
        completed.Add("after", small, Uac);

        AssertAnswers(completed, "small", small);
        AssertAnswers(completed, "large", large);
        AssertAnswers(completed, "after", small);
    }

    [Fact]
    public void A_request_answered_again_after_timer_j_keeps_its_new_answer_when_the_old_one_is_swept()
    {
        var completed = new CompletedTransactions(_time, TimerJ);
        byte[] first = Response("first"), second = Response("second");
        completed.Add("key", first, Uac);
        _time.Advance(TimerJ); // ran out, not swept yet: the same request arriving now is a new transaction
        completed.Add("key", second, Uac);

        completed.Expire();
        Assert.Equal(1, completed.Count);
        AssertAnswers(completed, "key", second);
    }

    [Fact]
    public void Clear_ends_every_entry()
    {
        var completed = new CompletedTransactions(_time, TimerJ);
        completed.Add("a", Response("a"), Uac);
        completed.Add("b", Response("b"), Uac);
        completed.Clear();
        Assert.Equal(0, completed.Count);
        Assert.False(completed.TryGet("a", out _, out _));
        Assert.False(completed.TryGet("b", out _, out _));
    }
}
