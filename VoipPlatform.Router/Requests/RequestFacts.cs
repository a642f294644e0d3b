using System.Net;
using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Requests;

/// <summary>
/// What the router's policies need from a request, copied out as strings once. The router is not the hot path (it
/// waits on Redis and HTTP), and strings survive the awaits that a pooled message buffer must not be held across.
/// </summary>
internal sealed class RequestFacts
{
    private readonly List<KeyValuePair<string, string>> _headers;

    private RequestFacts(SipMessage request, RoutingContext context)
    {
        _headers = new List<KeyValuePair<string, string>>(request.Headers.Length);
        Method = Text(request[request.MethodToken]);
        RequestUri = Text(request[request.RequestUri]);
        CallId = Text(request.CallId);
        CallIdHash = Sip.Location.TargetSelector.KeyHash(request.CallId);
        CSeq = request.CSeqNumber;
        From = SipAddress.Parse(Text(request.FirstValue(HeaderKind.From)));
        To = SipAddress.Parse(Text(request.FirstValue(HeaderKind.To)));
        Target = SipAddress.Parse(RequestUri);
        foreach (ref readonly HeaderField header in request.Headers)
        {
            _headers.Add(new(Text(request[header.Name]), Text(request[header.Value])));
        }
        Origin = OriginOf(request, context.Source);
    }

    public string Method { get; }
    public string RequestUri { get; }
    public string CallId { get; }

    /// <summary>The Call-ID's hash: spreads a call's located servers by weight, the same for each of its requests.</summary>
    public ulong CallIdHash { get; }
    public long CSeq { get; }
    public SipAddress From { get; }
    public SipAddress To { get; }

    /// <summary>The Request-URI's user and host.</summary>
    public SipAddress Target { get; }

    /// <summary>
    /// Where the request entered the platform: the received address the edge proxy wrote into the Via below its
    /// own, else the address it came from.
    /// </summary>
    public IPAddress Origin { get; }

    public static RequestFacts Read(SipMessage request, RoutingContext context) => new(request, context);

    /// <summary>Values of every header named <paramref name="name"/> (or its compact form), in order.</summary>
    public IEnumerable<string> Values(string name, string? compact = null) =>
        _headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)
                            || (compact is not null && h.Key.Equals(compact, StringComparison.OrdinalIgnoreCase)))
            .Select(h => h.Value);

    /// <summary>The first value of a header, or null.</summary>
    public string? Value(string name, string? compact = null) => Values(name, compact).FirstOrDefault();

    /// <summary>Every element of comma-separated list headers (Contact, Path, Supported), quotes respected.</summary>
    public IEnumerable<string> Elements(string name, string? compact = null)
    {
        foreach (string value in Values(name, compact))
        {
            var elements = new List<string>();
            foreach (ReadOnlySpan<byte> element in new HeaderList(Encoding.UTF8.GetBytes(value))) elements.Add(Text(element));
            foreach (string element in elements) yield return element;
        }
    }

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
