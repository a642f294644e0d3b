using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// The application servers (Asterisk) application branches go to, through the next-hop set: DNS SRV
/// (<c>Router:ApplicationService</c>), else <c>Router:ApplicationServers</c>, else the endpoints Aspire injects for
/// the <c>asterisk</c> resource. Calls of one conference room always pick the same server (rendezvous hashing over
/// the usable servers, so the members meet and an unrelated server joining or leaving moves no room); everything else
/// is spread by weight.
/// </summary>
public sealed class ApplicationServers(NextHopRegistry registry, IOptions<RouterOptions> options)
{
    private const string ServiceName = "asterisk";
    private const string SipEndpointName = "sip";
    private readonly NextHopSet _servers = registry.Create(ServiceName, options.Value.ApplicationService, options.Value.ApplicationServers, ServiceName, SipEndpointName);

    /// <summary>A server for a call, or null when there is none.</summary>
    /// <param name="affinity">Calls with the same key land on the same server (a conference room); null spreads them.</param>
    public async ValueTask<IPEndPoint?> PickAsync(string? affinity) => (await _servers.PickAsync(affinity))?.EndPoint;
}
