using System.Buffers;
using System.Net;
using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Requests;

/// <summary>
/// What the router's policies need from a request, copied out as strings once: strings survive the awaits that a
/// pooled message buffer must not be held across. Only what a policy may read is copied; the headers the core reads
/// itself (Via, CSeq, Max-Forwards, routes, lengths) or that are already facts here (From, To, Call-ID) are not, as
/// every REGISTER and call passes through here (copying them all was a fifth of the router's allocation).
/// </summary>
internal sealed class RequestFacts
{
    private readonly List<KeyValuePair<string, string>> _headers;
    private readonly string _fromText;
    private SipAddress? _from;
    private SipAddress? _target;

    private RequestFacts(SipMessage request, RoutingContext context)
    {
        _headers = new List<KeyValuePair<string, string>>(8);
        Method = Text(request[request.MethodToken]);
        RequestUri = Text(request[request.RequestUri]);
        CallId = Text(request.CallId);
        CallIdHash = Sip.Location.TargetSelector.KeyHash(request.CallId);
        CSeq = request.CSeqNumber;
        _fromText = Text(request.FirstValue(HeaderKind.From));
        To = SipAddress.Parse(request.FirstValue(HeaderKind.To));
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (IsCopied(header.Kind)) _headers.Add(new(Text(request[header.Name]), Text(request[header.Value])));
        }
        Origin = OriginOf(request, context.Source);
    }

    public string Method { get; }
    public string RequestUri { get; }
    public string CallId { get; }

    /// <summary>The Call-ID's hash: spreads a call's located servers by weight, the same for each of its requests.</summary>
    public ulong CallIdHash { get; }
    public long CSeq { get; }

    /// <summary>The caller; parsed when first asked for (a REGISTER never asks).</summary>
    public SipAddress From => _from ??= SipAddress.Parse(_fromText);
    public SipAddress To { get; }

    /// <summary>The Request-URI's user and host; parsed when first asked for.</summary>
    public SipAddress Target => _target ??= SipAddress.Parse(RequestUri);

    /// <summary>
    /// Where the request entered the platform: the received address the edge proxy wrote into the Via below its
    /// own, else the address it came from.
    /// </summary>
    public IPAddress Origin { get; }

    public static RequestFacts Read(SipMessage request, RoutingContext context) => new(request, context);

    /// <summary>Values of every header named <paramref name="name"/> (or its compact form), in order.</summary>
    public IEnumerable<string> Values(string name, string? compact = null)
    {
        foreach (KeyValuePair<string, string> header in _headers)
        {
            if (Names(header.Key, name, compact)) yield return header.Value;
        }
    }

    /// <summary>The first value of a header, or null.</summary>
    public string? Value(string name, string? compact = null)
    {
        foreach (KeyValuePair<string, string> header in _headers)
        {
            if (Names(header.Key, name, compact)) return header.Value;
        }
        return null;
    }

    /// <summary>Every element of comma-separated list headers (Contact, Path, Supported), quotes respected.</summary>
    public IReadOnlyList<string> Elements(string name, string? compact = null)
    {
        List<string>? elements = null;
        foreach (KeyValuePair<string, string> header in _headers)
        {
            if (!Names(header.Key, name, compact)) continue;
            byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(header.Value.Length));
            int length = Encoding.UTF8.GetBytes(header.Value, utf8);
            foreach (ReadOnlySpan<byte> element in new HeaderList(utf8.AsSpan(0, length))) (elements ??= []).Add(Text(element));
            ArrayPool<byte>.Shared.Return(utf8);
        }
        return elements ?? (IReadOnlyList<string>)[];
    }

    private static bool Names(string header, string name, string? compact) =>
        header.Equals(name, StringComparison.OrdinalIgnoreCase) || (compact is not null && header.Equals(compact, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a header is one a policy may read (see the class summary).</summary>
    private static bool IsCopied(HeaderKind kind) => kind is HeaderKind.Other or HeaderKind.Contact;

    private static IPAddress OriginOf(SipMessage request, IPEndPoint source)
    {
        int seen = 0;
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != HeaderKind.Via) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(request[header.Value]))
            {
                if (seen++ != 1) continue;
                ViaValue via = ViaValue.Parse(element);
                ReadOnlySpan<byte> address = via.Received.IsEmpty ? via.Host : via.Received;
                return IPAddress.TryParse(Text(address).Trim('[', ']'), out IPAddress? origin) ? origin : source.Address;
            }
        }
        return source.Address;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
