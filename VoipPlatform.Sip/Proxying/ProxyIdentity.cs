using System.Net;
using System.Text;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Proxying;

/// <summary>How this hop names itself in Via and Record-Route, and recognises itself in Route.</summary>
internal sealed class ProxyIdentity
{
    private readonly int[] _otherPorts;

    /// <param name="advertisedHost">Host written into Via, Record-Route and Path.</param>
    /// <param name="port">The SIP (UDP and TCP) port.</param>
    /// <param name="otherPorts">Ports of this hop's other listeners (TLS, WebSocket): Record-Route entries facing those
    /// sides name them (RFC 5658), so Route entries with them are this hop too.</param>
    public ProxyIdentity(string advertisedHost, int port, params int[] otherPorts)
    {
        _otherPorts = otherPorts;
        Host = Encoding.ASCII.GetBytes(advertisedHost.Contains(':') && !advertisedHost.StartsWith('[') ? $"[{advertisedHost}]" : advertisedHost);
        Port = port;
        SentBy = Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetString(Host)}:{port}");
        PathUri = Encoding.ASCII.GetBytes($"sip:{Encoding.ASCII.GetString(SentBy)};lr");
    }

    /// <summary>Advertised host as written in URIs.</summary>
    public byte[] Host { get; }

    public int Port { get; }

    /// <summary><c>host:port</c> for the Via sent-by and the Record-Route URI.</summary>
    public byte[] SentBy { get; }

    /// <summary>The URI this hop inserts as Path into REGISTERs it relays (RFC 3327).</summary>
    public byte[] PathUri { get; }

    /// <summary>True when a URI (a Route entry) names this hop.</summary>
    public bool IsSelf(SipUri uri) =>
        uri.IsValid && Ascii.EqualsIgnoreCase(uri.Host, Host) && IsOwnPort(uri.Port == 0 ? 5060 : uri.Port);

    /// <summary>True when a Via entry was written by this hop.</summary>
    public bool IsSelf(ViaValue via) =>
        via.IsValid && Ascii.EqualsIgnoreCase(via.Host, Host) && IsOwnPort(via.Port == 0 ? 5060 : via.Port);

    private bool IsOwnPort(int port) => port == Port || Array.IndexOf(_otherPorts, port) >= 0;

    public static ProxyIdentity From(IPEndPoint bound, string? advertised, params int[] otherPorts)
    {
        if (!string.IsNullOrWhiteSpace(advertised)) return new ProxyIdentity(advertised, bound.Port, otherPorts);
        if (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any))
        {
            // Guessing would put an address peers cannot reach into every Via and Record-Route.
            throw new InvalidOperationException($"Sip:ListenAddress {bound.Address} is a wildcard: set Sip:AdvertisedAddress to the address peers reach this service at.");
        }
        return new ProxyIdentity(bound.Address.ToString(), bound.Port, otherPorts);
    }
}
