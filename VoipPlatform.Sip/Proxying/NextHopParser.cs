using System.Net;
using System.Net.Sockets;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// Reads next-hop addresses from configuration: <c>host:port</c>, or the URL form Aspire injects for an endpoint
/// reference (<c>udp://host:port</c>). Names are resolved once, at start-up, preferring IPv4.
/// </summary>
public static class NextHopParser
{
    /// <summary>Parses one entry.</summary>
    /// <exception cref="FormatException">The entry is not an address with a port.</exception>
    public static IPEndPoint Parse(string entry)
    {
        string text = entry.Trim();
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..].TrimEnd('/');

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is <= 0 or > 65535)
        {
            throw new FormatException($"Next hop '{entry}' must be host:port or udp://host:port.");
        }
        string host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? address)) return new IPEndPoint(address, port);

        IPAddress[] addresses = Dns.GetHostAddresses(host);
        IPAddress chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new FormatException($"Next hop '{entry}': host '{host}' has no address.");
        return new IPEndPoint(chosen, port);
    }
}
