using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using VoipPlatform.RtpEngine.Bencode;

namespace VoipPlatform.RtpEngine.Ng;

/// <summary>
/// RTPEngine's ng control protocol over UDP or TCP (<see cref="NgClientOptions.Transport"/>): each request is
/// <c>cookie SP bencoded-dictionary</c>, the reply carries
/// the same cookie. RTPEngine caches replies by cookie alone, across all clients, so every request gets a fresh
/// random cookie, and a retry resends the identical bytes (same cookie) so a request that did arrive is not run
/// twice. Replies are matched to requests by cookie; late or foreign replies are ignored.
/// </summary>
public sealed class NgClient : IAsyncDisposable
{
    private const int CookieBytes = 12;
    private const int MaxReply = 65_535;
    private readonly Socket? _socket;
    private readonly NgStreamConnection? _stream;
    private readonly NgClientOptions _options;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BDictionary>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;

    /// <summary>Creates a client for the ng endpoint of one RTPEngine.</summary>
    public NgClient(IPEndPoint endpoint, NgClientOptions? options = null)
    {
        Endpoint = endpoint;
        _options = options ?? new NgClientOptions();
        if (_options.Transport == NgTransport.Tcp)
        {
            _stream = new NgStreamConnection(endpoint, reply => OnReply(reply.Span));
            _receiving = Task.CompletedTask;
            return;
        }
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected: only the engine's datagrams are received, and a closed port surfaces as an error, not silence.
        _socket.Connect(endpoint);
        _receiving = ReceiveLoopAsync(_socket);
    }

    /// <summary>The RTPEngine this client talks to.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary><c>ping</c>: completes when RTPEngine answers <c>pong</c>.</summary>
    public Task PingAsync(CancellationToken cancellation = default) => SendAsync(Command("ping"), cancellation);

    /// <summary><c>offer</c>: hands RTPEngine the caller's SDP; returns the SDP to forward (media through RTPEngine).</summary>
    /// <param name="callId">SIP Call-ID.</param>
    /// <param name="fromTag">From tag of the offering side.</param>
    /// <param name="sdp">The SDP as received.</param>
    /// <param name="flags">Further ng keys (e.g. <c>replace</c>, <c>ICE</c>, <c>direction</c>, <c>received-from</c>).</param>
    /// <param name="cancellation">Stops waiting.</param>
    public async Task<string> OfferAsync(string callId, string fromTag, string sdp, IReadOnlyDictionary<string, BValue>? flags = null, CancellationToken cancellation = default)
    {
        BDictionary reply = await SendAsync(Command("offer", flags, ("call-id", callId), ("from-tag", fromTag), ("sdp", sdp)), cancellation);
        return reply.Text("sdp") ?? throw new NgErrorException("offer", "reply without sdp");
    }

    /// <summary><c>answer</c>: hands RTPEngine the callee's SDP; returns the SDP to forward back.</summary>
    public async Task<string> AnswerAsync(string callId, string fromTag, string toTag, string sdp, IReadOnlyDictionary<string, BValue>? flags = null, CancellationToken cancellation = default)
    {
        BDictionary reply = await SendAsync(Command("answer", flags, ("call-id", callId), ("from-tag", fromTag), ("to-tag", toTag), ("sdp", sdp)), cancellation);
        return reply.Text("sdp") ?? throw new NgErrorException("answer", "reply without sdp");
    }

    /// <summary><c>delete</c>: ends the call's media session (all of it when <paramref name="toTag"/> is null).</summary>
    public Task DeleteAsync(string callId, string fromTag, string? toTag = null, CancellationToken cancellation = default) =>
        SendAsync(toTag is null
            ? Command("delete", null, ("call-id", callId), ("from-tag", fromTag))
            : Command("delete", null, ("call-id", callId), ("from-tag", fromTag), ("to-tag", toTag)), cancellation);

    /// <summary><c>query</c>: the session's state and counters (<c>totals</c>, <c>tags</c>, …).</summary>
    public Task<BDictionary> QueryAsync(string callId, CancellationToken cancellation = default) =>
        SendAsync(Command("query", null, ("call-id", callId)), cancellation);

    /// <summary><c>list</c>: the Call-IDs of the sessions RTPEngine holds.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellation = default)
    {
        BDictionary reply = await SendAsync(Command("list"), cancellation);
        return reply["calls"] is BList calls ? calls.Items.OfType<BString>().Select(c => c.Text).ToArray() : [];
    }

    /// <summary><c>statistics</c>: engine-wide counters.</summary>
    public Task<BDictionary> StatisticsAsync(CancellationToken cancellation = default) => SendAsync(Command("statistics"), cancellation);

    /// <summary>Sends any ng command and returns its reply; <c>result: error</c> throws <see cref="NgErrorException"/>.</summary>
    public async Task<BDictionary> SendAsync(BDictionary command, CancellationToken cancellation = default)
    {
        string name = command.Text("command") ?? throw new ArgumentException("An ng command needs a 'command' key.", nameof(command));
        string cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(CookieBytes));
        byte[] datagram = [.. Encoding.ASCII.GetBytes(cookie + " "), .. BencodeFormat.Encode(command)];
        var reply = new TaskCompletionSource<BDictionary>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[cookie] = reply;
        try
        {
            for (int attempt = 1; attempt <= _options.Tries; attempt++)
            {
                if (_stream is not null) await _stream.SendAsync(datagram, cancellation);
                else await _socket!.SendAsync(datagram, SocketFlags.None, cancellation);
                try
                {
                    BDictionary answer = await reply.Task.WaitAsync(_options.Timeout, cancellation);
                    string? result = answer.Text("result");
                    if (result is "error") throw new NgErrorException(name, answer.Text("error-reason") ?? "no reason given");
                    return answer;
                }
                catch (TimeoutException)
                {
                    // resend the very same bytes: RTPEngine answers a repeated cookie from its cache
                }
            }
            throw new NgTimeoutException(name, _options.Tries);
        }
        finally
        {
            _pending.TryRemove(cookie, out _);
        }
    }

    private static BDictionary Command(string name, IReadOnlyDictionary<string, BValue>? flags = null, params (string Key, string Value)[] values)
    {
        var entries = new Dictionary<string, BValue>(StringComparer.Ordinal);
        foreach (var (key, value) in flags ?? new Dictionary<string, BValue>()) entries[key] = value;
        foreach (var (key, value) in values) entries[key] = value;
        entries["command"] = name;
        return new BDictionary(entries);
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        byte[] buffer = new byte[MaxReply];
        while (!_closing.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token);
            }
            catch (SocketException)
            {
                // ICMP unreachable from an earlier send: the waiting request times out and retries.
                await Task.Delay(50, _closing.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            OnReply(buffer.AsSpan(0, received));
        }
    }

    /// <summary>A reply (<c>cookie SP bencode</c>) completes the request with that cookie; late or foreign ones are ignored.</summary>
    private void OnReply(ReadOnlySpan<byte> message)
    {
        int space = message.IndexOf((byte)' ');
        if (space <= 0) return;
        string cookie = Encoding.ASCII.GetString(message[..space]);
        if (!_pending.TryGetValue(cookie, out var waiting)) return; // late, or not ours
        try
        {
            if (BencodeFormat.Decode(message[(space + 1)..]) is BDictionary reply) waiting.TrySetResult(reply);
        }
        catch (FormatException)
        {
            // a garbled reply: the request retries
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket?.Dispose();
        if (_stream is not null) await _stream.DisposeAsync();
        await _receiving;
        _closing.Dispose();
    }
}
