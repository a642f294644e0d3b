using System.Net;
using VoipPlatform.RtpEngine.Bencode;

namespace VoipPlatform.Proxy.Media;

/// <summary>The ng keys the edge sets, as a production SBC would.</summary>
internal sealed class MediaFlags(MediaOptions options)
{
    private readonly IPNetwork[] _trusted = options.TrustedSources.Select(IPNetwork.Parse).ToArray();

    /// <summary>
    /// For an offer from outside: origin and session-connection rewritten to the relay, ICE removed toward the inside,
    /// the SIP source as the media source unless trusted, the configured direction.
    /// </summary>
    public Dictionary<string, BValue> Offer(IPAddress source, string? toTag)
    {
        Dictionary<string, BValue> flags = Common(source);
        flags["ICE"] = "remove";
        if (options.InboundDirection.Length > 0) flags["direction"] = List(options.InboundDirection);
        if (toTag is not null) flags["to-tag"] = toTag;
        return flags;
    }

    /// <summary>For an answer from outside, or one going back out.</summary>
    public Dictionary<string, BValue> Answer(IPAddress source) => Common(source);

    private Dictionary<string, BValue> Common(IPAddress source)
    {
        bool trusted = _trusted.Any(network => network.Contains(source));
        return new Dictionary<string, BValue>
        {
            ["replace"] = List("origin", "session-connection"),
            ["flags"] = List(trusted ? "trust-address" : "SIP-source-address"),
            ["received-from"] = List(source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", source.ToString()),
        };
    }

    private static BList List(params string[] items) => new(items.Select(item => (BValue)item).ToArray());
}
