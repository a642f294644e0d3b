using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// The one ng command the agent needs today: <c>ping</c>. An ng message is a cookie, a space and a
/// bencoded dictionary. RTPEngine caches replies by cookie alone (across all clients), so every
/// request carries a fresh random cookie. A fuller ng client lives in the SIP core later.
/// </summary>
public sealed class NgPingClient
{
    private const string PingBody = "d7:command4:pinge";
    private const string PongBody = "d6:result4:ponge";
    private const int CookieBytes = 12;

    /// <returns>Null when RTPEngine answered <c>pong</c>; otherwise why the ping failed.</returns>
    public async Task<string?> PingAsync(IPEndPoint ngEndpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(CookieBytes));
        var request = Encoding.ASCII.GetBytes($"{cookie} {PingBody}");

        using var socket = new Socket(ngEndpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var buffer = new byte[1500];
        try
        {
            // Connected socket: only datagrams from the ng address are received, and an ICMP
            // port-unreachable surfaces as ConnectionRefused instead of a silent timeout.
            await socket.ConnectAsync(ngEndpoint, timeoutCts.Token);
            await socket.SendAsync(request, SocketFlags.None, timeoutCts.Token);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeoutCts.Token);
                var reply = Encoding.ASCII.GetString(buffer, 0, received);
                var space = reply.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || !reply.AsSpan(0, space).SequenceEqual(cookie))
                {
                    continue; // A late reply to an earlier ping: not ours.
                }
                var body = reply[(space + 1)..];
                return body == PongBody ? null : $"unexpected reply '{body}'";
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no reply within {timeout.TotalMilliseconds:0} ms";
        }
        catch (SocketException ex)
        {
            return $"socket error {ex.SocketErrorCode}";
        }
    }
}
