using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Text;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>
/// A browser-like SIP peer: a real <see cref="ClientWebSocket"/> that asks for the <c>sip</c> subprotocol (RFC 7118)
/// and sends and receives whole SIP messages, one per WebSocket message.
/// </summary>
public sealed class WebSocketPeer : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private WebSocketPeer()
    {
    }

    /// <summary>The underlying socket, for tests that send raw frames.</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>
    /// The made-up host a browser writes in its Via and Contact (RFC 7118 section 5): nothing can be sent to it, so
    /// the hop must answer and route on the connection.
    /// </summary>
    public string Host { get; } = $"{Guid.NewGuid():N}.invalid";

    /// <summary>Connects to <c>ws://</c> (or <c>wss://</c> with <paramref name="pinnedCertificateHash"/>) at <paramref name="endPoint"/>.</summary>
    public static async Task<WebSocketPeer> ConnectAsync(IPEndPoint endPoint, string? pinnedCertificateHash = null)
    {
        var peer = new WebSocketPeer();
        peer._socket.Options.AddSubProtocol("sip");
        if (pinnedCertificateHash is not null)
        {
            // Self-signed test certificate: trusted by its hash only.
            peer._socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == pinnedCertificateHash;
        }
        string scheme = pinnedCertificateHash is null ? "ws" : "wss";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await peer._socket.ConnectAsync(new Uri($"{scheme}://{endPoint}/"), timeout.Token);
        return peer;
    }

    /// <summary>Sends SIP text as one text message; bare LF line ends become CRLF.</summary>
    public Task SendAsync(string message) =>
        _socket.SendAsync(Encoding.ASCII.GetBytes(message.ReplaceLineEndings("\r\n")), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next whole message as text, or null on timeout or when the hop closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[65_536];
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close) return null;
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (result.EndOfMessage) return text.ToString();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            return null;
        }
    }

    /// <summary>Receives until a message's first line starts with <paramref name="startLinePrefix"/>, or null on timeout.</summary>
    public async Task<string?> ReceiveUntilAsync(string startLinePrefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null) return null;
            if (message.StartsWith(startLinePrefix, StringComparison.Ordinal)) return message;
        }
        return null;
    }

    /// <summary>Closes the connection as a browser tab would.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
