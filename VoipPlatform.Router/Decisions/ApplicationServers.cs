using System.Net;
using Microsoft.Extensions.Options;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Decisions;

/// <summary>
/// The application servers (Asterisk) application branches go to: <c>Router:ApplicationServers</c>, else the
/// endpoints Aspire injects for the <c>asterisk</c> resource. Calls of one conference room always pick the same
/// server (a hash of the room), so its members meet; everything else is spread round-robin.
/// </summary>
public sealed class ApplicationServers
{
    private readonly IPEndPoint[] _servers;
    private uint _next;

    /// <summary>Reads the server list; empty is allowed (application branches then find nobody: 480).</summary>
    public ApplicationServers(IOptions<RouterOptions> options, IConfiguration configuration)
    {
        string[] entries = options.Value.ApplicationServers.Length > 0
            ? options.Value.ApplicationServers
            : configuration.GetSection("services:asterisk:sip").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
        _servers = entries.Select(NextHopParser.Parse).ToArray();
    }

    /// <summary>A server for a call, or null when there is none.</summary>
    /// <param name="affinity">Calls with the same key land on the same server (a conference room); null spreads them.</param>
    public IPEndPoint? Pick(string? affinity)
    {
        if (_servers.Length == 0) return null;
        uint index = affinity is null
            ? Interlocked.Increment(ref _next)
            : (uint)StableHash(affinity);
        return _servers[index % (uint)_servers.Length];
    }

    /// <summary>Same on every replica and after restarts (string.GetHashCode is randomised per process).</summary>
    private static int StableHash(string key)
    {
        uint hash = 2166136261;
        foreach (char c in key) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fffffff);
    }
}
