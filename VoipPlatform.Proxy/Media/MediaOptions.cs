namespace VoipPlatform.Proxy.Media;

/// <summary>How the edge bridges media through RTPEngine. Bound from the <c>Proxy:Media</c> configuration section.</summary>
public sealed class MediaOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Proxy:Media";

    /// <summary>Bridge the SDP of calls through RTPEngine. Off: SDP passes untouched (signalling-only deployments).</summary>
    public bool Enabled { get; set; }

    /// <summary>RTPEngine ng control addresses (<c>host:port</c>, UDP), used when <see cref="NodeService"/> is not set.</summary>
    public string[] Nodes { get; set; } = [];

    /// <summary>A DNS SRV name of the media nodes (e.g. <c>_media._udp.service.consul</c>); takes the place of <see cref="Nodes"/>.</summary>
    public string? NodeService { get; set; }

    /// <summary>
    /// ng over UDP (RTPEngine's <c>--listen-ng</c>) or TCP (<c>--listen-tcp-ng</c>, no fragmentation of large SDP); the
    /// node addresses must name the matching port.
    /// </summary>
    public VoipPlatform.RtpEngine.Ng.NgTransport Transport { get; set; } = VoipPlatform.RtpEngine.Ng.NgTransport.Udp;

    /// <summary>How long one ng command waits for RTPEngine before it is sent again.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many times an ng command is sent before the node counts as unreachable.</summary>
    public int CommandTries { get; set; } = 2;

    /// <summary>
    /// Networks (CIDR) whose SDP addresses are trusted (carriers, PBXs on a known network). For everyone else the media
    /// address is taken from where the SIP came from (<c>SIP-source-address</c>, <c>received-from</c>): a UA behind NAT
    /// writes a private address into its SDP.
    /// </summary>
    public string[] TrustedSources { get; set; } = [];

    /// <summary>
    /// RTPEngine interface names for offers entering the platform, from the caller's side to the inside (e.g.
    /// <c>["external", "internal"]</c> with RTPEngine started with those interfaces); empty: RTPEngine's default interface.
    /// </summary>
    public string[] InboundDirection { get; set; } = [];

    /// <summary>
    /// RTPEngine interface names for offers leaving the platform (a call from an application server out to a phone,
    /// or the offer a callee makes in its 200 after an INVITE without SDP); empty: <see cref="InboundDirection"/>
    /// reversed.
    /// </summary>
    public string[] OutboundDirection { get; set; } = [];
}
