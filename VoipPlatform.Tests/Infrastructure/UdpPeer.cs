using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>A raw SIP peer on a loopback UDP socket, for tests that need exact control over what is sent.</summary>
public sealed class UdpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>
    /// Binds <paramref name="port"/> (an ephemeral one by default) on <paramref name="address"/> (127.0.0.1 by default;
    /// any 127.x.y.z works on Linux).
    /// </summary>
    public UdpPeer(string address = "127.0.0.1", int port = 0)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Sends SIP text; bare LF line ends are turned into CRLF.</summary>
    public void Send(string message, IPEndPoint to) =>
        _socket.SendTo(Encoding.ASCII.GetBytes(message.ReplaceLineEndings("\r\n")), to);

    /// <summary>Sends bytes exactly as given.</summary>
    public void SendBytes(byte[] datagram, IPEndPoint to) => _socket.SendTo(datagram, to);

    /// <summary>The next datagram as text, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await ReceiveAsync(cts.Token);
    }

    /// <summary>The next datagram as text, or null once <paramref name="cancellation"/> fires.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellation)
    {
        byte[] buffer = new byte[65_535];
        try
        {
            SocketReceiveFromResult result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellation);
            return Encoding.ASCII.GetString(buffer, 0, result.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Receives until a message's first line starts with <paramref name="startLinePrefix"/>, or null on timeout.</summary>
    public Task<string?> ReceiveUntilAsync(string startLinePrefix, TimeSpan timeout) =>
        ReceiveUntilAsync(message => message.StartsWith(startLinePrefix, StringComparison.Ordinal), timeout);

    /// <summary>Receives until a message is a final response (not 1xx), or null on timeout.</summary>
    public Task<string?> ReceiveFinalResponseAsync(TimeSpan timeout) =>
        ReceiveUntilAsync(message => message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && !message.StartsWith("SIP/2.0 1", StringComparison.Ordinal), timeout);

    /// <summary>Receives until a message matches <paramref name="wanted"/>, or null on timeout.</summary>
    public async Task<string?> ReceiveUntilAsync(Func<string, bool> wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null) return null;
            if (wanted(message)) return message;
        }
        return null;
    }

    /// <summary>Collects every datagram arriving within <paramref name="window"/>.</summary>
    public async Task<List<string>> DrainAsync(TimeSpan window)
    {
        var messages = new List<string>();
        var deadline = DateTime.UtcNow + window;
        while (DateTime.UtcNow < deadline && await ReceiveAsync(deadline - DateTime.UtcNow) is { } message)
        {
            messages.Add(message);
        }
        return messages;
    }

    public void Dispose() => _socket.Dispose();
}
