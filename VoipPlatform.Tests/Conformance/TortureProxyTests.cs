using System.Text;
using System.Text.RegularExpressions;
using VoipPlatform.Proxy.Routing;
using VoipPlatform.Tests.Infrastructure;
using VoipPlatform.Tests.Proxy.Routing;

namespace VoipPlatform.Tests.Conformance;

/// <summary>
/// RFC 4475 messages sent over a real UDP socket to the edge proxy (its real routing policy, a raw peer standing
/// in for the router): each must be forwarded, answered with the status EXPECTED.tsv gives, or dropped. The top
/// Via is rewritten to the test's loopback socket (with rport) first, and the proxy runs with the loopback-only
/// egress allow-list, so nothing it answers or forwards leaves the machine.
/// </summary>
public sealed partial class TortureProxyTests
{
    /// <summary>
    /// How long to wait for the first reaction. Generous because the suite runs test classes in parallel on 2 cores
    /// (a freshly started core's first message also pays for JIT); only the "drop" cases wait it out in full.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public static TheoryData<string> Files => TortureMessages.FileNames();

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Edge_proxy_answers_each_torture_message_as_the_rfc_expects(string file)
    {
        TortureMessages.Case c = TortureMessages.Get(file);
        using var sender = new UdpPeer();
        using var router = new UdpPeer();
        var edge = new EdgeRequestRouter(Routers.At(router.EndPoint));
        await using var proxy = InProcessHop.Start(edge);

        bool isResponse = c.Bytes.AsSpan().StartsWith("SIP/2.0 "u8);
        // A request's top Via becomes the test's socket. A response's becomes the proxy itself (it is a response
        // to something the proxy sent), and where the file names no further Via the test's socket is added as the
        // next hop; a file's own further Vias (bcast.dat's 255.255.255.255) stay as they are.
        byte[] datagram = isResponse
            ? AddNextViaIfNone(PointTopViaAt(c.Bytes, proxy.EndPoint.ToString(), rport: false), $"Via: SIP/2.0/UDP 127.0.0.1:{sender.Port};branch=z9hG4bKtorture")
            : PointTopViaAt(c.Bytes, $"127.0.0.1:{sender.Port}", rport: true);
        sender.SendBytes(datagram, proxy.EndPoint);

        // Collect what comes back at either end; once something has, give the rest a short moment (a forward that
        // follows a 100 Trying), otherwise wait the whole window before calling it a drop.
        using var done = new CancellationTokenSource(Window);
        var answered = new List<string>();
        var relayed = new List<string>();
        async Task Collect(UdpPeer peer, List<string> into)
        {
            while (await peer.ReceiveAsync(done.Token) is { } message)
            {
                lock (into) into.Add(message);
                done.CancelAfter(TimeSpan.FromMilliseconds(200));
            }
        }
        await Task.WhenAll(Collect(sender, answered), Collect(router, relayed));

        string outcome = isResponse
            ? (answered.Count > 0 ? "forward" : "drop")
            : answered.FirstOrDefault(m => !m.StartsWith("SIP/2.0 100 ")) is { } reply ? $"reply {reply.Substring(8, 3)}"
            : relayed.Count > 0 ? "forward"
            : "drop";
        string[] allowed = c.Proxy.Split('|');
        Assert.True(allowed.Contains(outcome), $"{c}: {c.What}: expected {c.Proxy}, got {outcome}");
    }

    /// <summary>Replaces the sent-by of the first Via (any form: compact, folded, any version).</summary>
    private static byte[] PointTopViaAt(byte[] message, string hostPort, bool rport)
    {
        string text = Encoding.Latin1.GetString(message);
        Match via = TopVia().Match(text);
        if (!via.Success) return message;
        Group sentBy = via.Groups["sentby"];
        return Encoding.Latin1.GetBytes(text[..sentBy.Index] + hostPort + (rport ? ";rport" : "") + text[(sentBy.Index + sentBy.Length)..]);
    }

    private static byte[] AddNextViaIfNone(byte[] message, string via)
    {
        string text = Encoding.Latin1.GetString(message);
        if (ViaLine().Count(text) > 1) return message;
        Match top = ViaLine().Match(text);
        int lineEnd = text.IndexOf("\r\n", top.Index, StringComparison.Ordinal) + 2;
        return Encoding.Latin1.GetBytes(text[..lineEnd] + via + "\r\n" + text[lineEnd..]);
    }

    [GeneratedRegex(@"^(?:Via|v)[ \t]*:", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ViaLine();

    // sent-protocol then sent-by up to the first parameter or list separator; LWS (including folds) allowed around '/'.
    [GeneratedRegex(@"^(?:Via|v)[ \t]*:[ \t\r\n]*SIP[ \t\r\n]*/[ \t\r\n]*[0-9.]+[ \t\r\n]*/[ \t\r\n]*[A-Za-z]+[ \t\r\n]+(?<sentby>[^;,\r\n]+?)[ \t]*(?=[;,\r\n])", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex TopVia();
}
