using System.Net;
using System.Net.Sockets;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// Finds loopback ports that are free now for UDP and TCP alike, for peers that need a port number up front: our SIP
/// services bind both on their port (and SIPp may use either), so a port free for UDP alone is not enough.
/// </summary>
public static class FreeSipPort
{
    public static int Next()
    {
        for (int attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // taken for TCP: try another
            }
        }
    }
}
