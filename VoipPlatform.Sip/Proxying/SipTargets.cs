using System.Net;
using System.Text;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Proxying;

/// <summary>Turns SIP URIs and Via entries into socket addresses.</summary>
/// <remarks>
/// IP literals and <c>localhost</c> only, synchronously and without DNS: the hot path. Names are located (RFC 3263)
/// by <see cref="Location.SipServerResolver"/>, which uses this for addresses.
/// </remarks>
public static class SipTargets
{
    /// <summary>Resolves the host and port of a SIP URI (default port 5060).</summary>
    public static bool TryResolveUri(ReadOnlySpan<byte> uriText, out IPEndPoint? endPoint)
    {
        endPoint = null;
        SipUri uri = SipUri.Parse(uriText);
        if (!uri.IsValid) return false;
        ReadOnlySpan<byte> maddr = uri.Parameter("maddr"u8);
        return TryResolve(maddr.IsEmpty ? uri.Host : maddr, uri.Port, out endPoint);
    }

    /// <summary>Resolves a host (IP literal, bracketed IPv6, or localhost) and port; port 0 means 5060.</summary>
    public static bool TryResolve(ReadOnlySpan<byte> host, int port, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (port == 0) port = SipTransportOptions.DefaultSipPort;
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']') host = host[1..^1];
        if (Ascii.EqualsIgnoreCase(host, "localhost"u8))
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        Span<char> chars = stackalloc char[host.Length];
        if (host.Length > 64 || Encoding.ASCII.GetChars(host, chars) != host.Length) return false;
        if (!IPAddress.TryParse(chars, out IPAddress? address)) return false;
        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
