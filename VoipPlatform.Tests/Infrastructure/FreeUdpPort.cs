using System.Net;
using System.Net.Sockets;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Finds loopback UDP ports that are free now, for peers (such as SIPp) that need a port number up front.</summary>
public static class FreeUdpPort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
