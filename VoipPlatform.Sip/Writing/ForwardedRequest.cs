namespace VoipPlatform.Sip.Writing;

/// <summary>What a proxy changes in a request it forwards (RFC 3261 section 16.6); the rest is copied byte for byte.</summary>
public readonly ref struct ForwardedRequest
{
    /// <summary>The sent-by of the Via this hop adds, <c>host:port</c>.</summary>
    public required ReadOnlySpan<byte> ViaSentBy { get; init; }

    /// <summary>The transport token of the Via this hop adds (<c>UDP</c>, <c>TCP</c>); UDP when empty.</summary>
    public ReadOnlySpan<byte> ViaTransport { get; init; }

    /// <summary>The branch of the Via this hop adds, magic cookie included.</summary>
    public required ReadOnlySpan<byte> Branch { get; init; }

    /// <summary>The source address of the request as received: written as <c>received</c> (and <c>rport</c>) on the previous hop's Via.</summary>
    public ReadOnlySpan<byte> SourceAddress { get; init; }

    /// <summary>The source port, written into an <c>rport</c> parameter the sender asked for (RFC 3581).</summary>
    public int SourcePort { get; init; }

    /// <summary>Whether the topmost Route names this hop and must be removed (RFC 3261 section 16.4).</summary>
    public bool RemoveTopRoute { get; init; }

    /// <summary>
    /// How many leading Route entries name this hop and must be removed: two when it recorded two entries (RFC 5658);
    /// at least one with <see cref="RemoveTopRoute"/>.
    /// </summary>
    public int RemovedRoutes { get; init; }

    /// <summary>The Record-Route URI to insert (without angle brackets), or empty for none.</summary>
    public ReadOnlySpan<byte> RecordRouteUri { get; init; }

    /// <summary>
    /// A second Record-Route URI, written after <see cref="RecordRouteUri"/>, when the request changes transport at
    /// this hop (RFC 5658): <see cref="RecordRouteUri"/> then names the side the request leaves on and this one the
    /// side it came from. Empty for one entry.
    /// </summary>
    public ReadOnlySpan<byte> InboundRecordRouteUri { get; init; }

    /// <summary>A new Request-URI (RFC 3261 section 16.6 step 2, e.g. a registered Contact), or empty to keep the received one.</summary>
    public ReadOnlySpan<byte> RequestUri { get; init; }

    /// <summary>The Path URI to insert (RFC 3327, for a REGISTER), without angle brackets, or empty for none.</summary>
    public ReadOnlySpan<byte> PathUri { get; init; }

    /// <summary>Complete header lines (<c>Name: value CRLF</c>) to add, e.g. a pre-loaded Route set or instructions.</summary>
    public ReadOnlySpan<byte> HeaderLines { get; init; }

    /// <summary>A new body (an SDP rewritten by a media relay); used when <see cref="ReplaceBody"/> is set.</summary>
    public ReadOnlySpan<byte> Body { get; init; }

    /// <summary>Whether <see cref="Body"/> takes the place of the received body (Content-Length follows it).</summary>
    public bool ReplaceBody { get; init; }

    /// <summary>The W3C traceparent to carry to the next hop, or empty for none.</summary>
    public ReadOnlySpan<byte> TraceParent { get; init; }
}
