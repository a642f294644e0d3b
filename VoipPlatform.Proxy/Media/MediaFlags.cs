using System.Net;
using VoipPlatform.RtpEngine.Bencode;

namespace VoipPlatform.Proxy.Media;

/// <summary>The ng keys the edge sets, as a production SBC would.</summary>
internal sealed class MediaFlags(MediaOptions options)
{
    private readonly IPNetwork[] _trusted = options.TrustedSources.Select(IPNetwork.Parse).ToArray();
    private readonly string[] _outbound = options.OutboundDirection.Length > 0 ? options.OutboundDirection : options.InboundDirection.Reverse().ToArray();

    /// <summary>
    /// For an offer: origin and session-connection rewritten to the relay, ICE removed, the SIP source as the media
    /// source unless trusted, the configured direction.
    /// </summary>
    /// <param name="source">Where the SDP's sender sent its SIP from, when this hop saw it come from outside; null for
    /// an SDP from the inside (trusted) or one that came back in a response, whose sender this hop never saw.</param>
    /// <param name="toTag">The other party's tag, for an offer inside a dialog.</param>
    /// <param name="direction">Which way the offer crosses the edge.</param>
    public Dictionary<string, BValue> Offer(IPAddress? source, string? toTag, MediaDirection direction)
    {
        Dictionary<string, BValue> flags = Common(source);
        flags["ICE"] = "remove";
        string[] interfaces = direction switch
        {
            MediaDirection.Inbound => options.InboundDirection,
            MediaDirection.Outbound => _outbound,
            _ => [],
        };
        if (interfaces.Length > 0) flags["direction"] = List(interfaces);
        if (toTag is not null) flags["to-tag"] = toTag;
        return flags;
    }

    /// <summary>For an answer; <paramref name="source"/> as for <see cref="Offer"/>.</summary>
    public Dictionary<string, BValue> Answer(IPAddress? source) => Common(source);

    private Dictionary<string, BValue> Common(IPAddress? source)
    {
        var flags = new Dictionary<string, BValue> { ["replace"] = List("origin", "session-connection") };
        // Without a SIP source RTPEngine keeps its default: the SDP's address until RTP arrives, then where it comes from.
        if (source is null) return flags;
        bool trusted = _trusted.Any(network => network.Contains(source));
        flags["flags"] = List(trusted ? "trust-address" : "SIP-source-address");
        flags["received-from"] = List(source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", source.ToString());
        return flags;
    }

    private static BList List(params string[] items) => new(items.Select(item => (BValue)item).ToArray());
}
