using VoipPlatform.RtpEngine.Bencode;
using VoipPlatform.RtpEngine.Ng;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>The figures the agent takes from RTPEngine's ng <c>statistics</c> reply.</summary>
/// <param name="OwnSessions">Sessions this RTPEngine relays (<c>currentstatistics.sessionsown</c>), not counting ones another instance owns.</param>
/// <param name="PacketsUserspace">Packets relayed in userspace since RTPEngine started.</param>
/// <param name="PacketsKernel">Packets relayed by the kernel module since RTPEngine started.</param>
/// <param name="BytesUserspace">Bytes relayed in userspace since RTPEngine started.</param>
/// <param name="BytesKernel">Bytes relayed by the kernel module since RTPEngine started.</param>
public sealed record RtpEngineStatistics(long OwnSessions, long PacketsUserspace, long PacketsKernel, long BytesUserspace, long BytesKernel)
{
    private const string StatisticsKey = "statistics";
    private const string CurrentKey = "currentstatistics";
    private const string TotalsKey = "totalstatistics";

    /// <summary>Asks RTPEngine for its statistics.</summary>
    /// <exception cref="NgTimeoutException">No reply.</exception>
    /// <exception cref="FormatException">A reply without the expected sections.</exception>
    public static async Task<RtpEngineStatistics> FetchAsync(NgClient client, CancellationToken cancellationToken) =>
        Parse(await client.StatisticsAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Reads the figures from a <c>statistics</c> reply (RTPEngine 10.5 and later lay it out the same way).</summary>
    /// <exception cref="FormatException">The reply lacks the <c>statistics</c>, current or total sections.</exception>
    public static RtpEngineStatistics Parse(BDictionary reply)
    {
        if (reply[StatisticsKey] is not BDictionary statistics
            || statistics[CurrentKey] is not BDictionary current
            || statistics[TotalsKey] is not BDictionary totals)
        {
            throw new FormatException("ng statistics reply without current and total statistics");
        }
        return new RtpEngineStatistics(
            OwnSessions: Number(current, "sessionsown"),
            PacketsUserspace: Number(totals, "relayedpackets_user"),
            PacketsKernel: Number(totals, "relayedpackets_kernel"),
            BytesUserspace: Number(totals, "relayedbytes_user"),
            BytesKernel: Number(totals, "relayedbytes_kernel"));
    }

    /// <summary>An integer figure; RTPEngine sends integers, but a figure it leaves out counts as zero.</summary>
    private static long Number(BDictionary section, string key) => section[key] switch
    {
        BInteger integer => integer.Value,
        BString text when long.TryParse(text.Text, out long value) => value,
        _ => 0,
    };
}
