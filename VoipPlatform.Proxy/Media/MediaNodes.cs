using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Sip.Location;

namespace VoipPlatform.Proxy.Media;

/// <summary>
/// The RTPEngine instances calls can be bridged through, found like every other next hop (<see cref="NextHopSet"/>:
/// DNS SRV, configured addresses, or Aspire's <c>services:mediaagent:ng</c>), each with its ng client. New calls
/// spread by weight; a node that stops answering is held down and gets no new calls.
/// </summary>
public sealed class MediaNodes : IAsyncDisposable
{
    private const string ServiceName = "media";
    private const string AspirePrefix = "mediaagent";
    private const string NgEndpointName = "ng";
    private readonly NextHopSet _nodes;
    private readonly NgClientOptions _ngOptions;
    private readonly ConcurrentDictionary<IPEndPoint, NgClient> _clients = new();

    /// <summary>Creates the node set from <see cref="MediaOptions"/>.</summary>
    public MediaNodes(NextHopRegistry registry, IOptions<MediaOptions> options)
    {
        MediaOptions o = options.Value;
        _nodes = registry.Create(ServiceName, o.NodeService, o.Nodes, AspirePrefix, NgEndpointName);
        _ngOptions = new NgClientOptions { Timeout = o.CommandTimeout, Tries = o.CommandTries, Transport = o.Transport };
    }

    /// <summary>The nodes to try for a new call, in order: chosen by weight, held-down ones last.</summary>
    public ValueTask<NextHopTarget[]> OrderAsync(ReadOnlySpan<byte> callId) => _nodes.OrderAsync(TargetSelector.KeyHash(callId));

    /// <summary>The ng client of a node.</summary>
    public NgClient Client(IPEndPoint node) => _clients.GetOrAdd(node, endpoint => new NgClient(endpoint, _ngOptions));

    /// <summary>A node did not answer: no new calls for the hold-down time.</summary>
    public void MarkFailed(NextHopTarget node) => _nodes.MarkFailed(node);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (NgClient client in _clients.Values) await client.DisposeAsync();
    }
}
