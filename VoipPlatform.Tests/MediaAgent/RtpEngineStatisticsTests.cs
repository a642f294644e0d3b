using VoipPlatform.MediaAgent.RtpEngine;
using VoipPlatform.RtpEngine.Bencode;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The figures taken from ng <c>statistics</c>, in the layout RTPEngine 10.5 answers with.</summary>
public sealed class RtpEngineStatisticsTests
{
    private static BDictionary Dictionary(params (string Key, BValue Value)[] entries) =>
        new(entries.ToDictionary(e => e.Key, e => e.Value));

    [Fact]
    public void Own_sessions_and_relayed_totals_per_path_are_read()
    {
        var reply = Dictionary(("result", "ok"), ("statistics", Dictionary(
            ("currentstatistics", Dictionary(("sessionsown", 3L), ("sessionsforeign", 7L), ("sessionstotal", 10L))),
            ("totalstatistics", Dictionary(
                ("relayedpackets_user", 11L), ("relayedpackets_kernel", 22L),
                ("relayedbytes_user", 1100L), ("relayedbytes_kernel", 2200L))))));

        var statistics = RtpEngineStatistics.Parse(reply);

        Assert.Equal(new RtpEngineStatistics(3, 11, 22, 1100, 2200), statistics);
    }

    [Fact]
    public void A_reply_without_statistics_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => RtpEngineStatistics.Parse(Dictionary(("result", "ok"))));
    }
}
