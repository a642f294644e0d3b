namespace VoipPlatform.Proxy.Media;

/// <summary>Which way an offer crosses the platform's edge, for RTPEngine's <c>direction</c> (its interface pair).</summary>
internal enum MediaDirection
{
    /// <summary>An offer inside a dialog: RTPEngine keeps the interfaces each side already has.</summary>
    Unchanged,

    /// <summary>From outside to the inside (<c>Proxy:Media:InboundDirection</c>).</summary>
    Inbound,

    /// <summary>From the inside to outside (<c>Proxy:Media:OutboundDirection</c>).</summary>
    Outbound,
}
