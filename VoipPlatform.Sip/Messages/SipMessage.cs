using System.Buffers;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Messages;

/// <summary>
/// A parsed SIP message: the bytes as received, in a pooled buffer, plus the offsets of the start line,
/// headers and body. Nothing is copied into strings; readers slice the buffer.
/// </summary>
/// <remarks>
/// Instances are reference counted because a transaction may keep the request that created it after the
/// transport has finished with the datagram. Call <see cref="Retain"/> to keep it and <see cref="Release"/>
/// (or <see cref="Dispose"/>) when done; the buffer returns to the pool at zero.
/// </remarks>
public sealed class SipMessage : IDisposable
{
    /// <summary>Upper bound on header lines; more is treated as malformed (a cheap flood guard).</summary>
    public const int MaxHeaders = 128;

    private readonly byte[] _buffer;
    private readonly bool _pooled;
    private readonly HeaderField[] _headers;
    private int _references = 1;

    internal SipMessage(byte[] buffer, int length, bool pooled, HeaderField[] headers, int headerCount)
    {
        _buffer = buffer;
        Length = length;
        _pooled = pooled;
        _headers = headers;
        HeaderCount = headerCount;
    }

    /// <summary>Total length of the message in the buffer.</summary>
    public int Length { get; }

    /// <summary>True for a request, false for a response.</summary>
    public bool IsRequest { get; internal set; }

    /// <summary>False for a request whose version is not SIP/2.0 (to be answered with 505).</summary>
    public bool IsSupportedVersion { get; internal set; }

    /// <summary>
    /// Why the message, though it parsed, must not be processed (e.g. two different CSeq values, RFC 4475 section
    /// 3.3.8); null when sound. A request with a defect is answered 400 with this as the reason phrase.
    /// </summary>
    public string? Defect { get; internal set; }

    /// <summary>The request method (requests only).</summary>
    public SipMethod Method { get; internal set; }

    /// <summary>The method token as written (requests only).</summary>
    public ByteRange MethodToken { get; internal set; }

    /// <summary>The Request-URI as written (requests only).</summary>
    public ByteRange RequestUri { get; internal set; }

    /// <summary>The status code (responses only).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The reason phrase (responses only).</summary>
    public ByteRange ReasonPhrase { get; internal set; }

    /// <summary>The message body (after the blank line, limited by Content-Length).</summary>
    public ByteRange Body { get; internal set; }

    /// <summary>
    /// The transport the message arrived on, set by the transport that received it (UDP for a message that was only
    /// parsed). Unlike the Via's transport token it cannot be claimed by the sender.
    /// </summary>
    public Transport.SipProtocol ArrivedOver { get; internal set; }

    /// <summary>Number of header lines.</summary>
    public int HeaderCount { get; }

    /// <summary>The header lines in order.</summary>
    public ReadOnlySpan<HeaderField> Headers => _headers.AsSpan(0, HeaderCount);

    /// <summary>The whole message as received.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

    /// <summary>The bytes of a range of this message.</summary>
    public ReadOnlySpan<byte> this[ByteRange range] => _buffer.AsSpan(range.Start, range.Length);

    /// <summary>The CSeq sequence number.</summary>
    public long CSeqNumber { get; internal set; }

    /// <summary>The CSeq method.</summary>
    public SipMethod CSeqMethod { get; internal set; }

    /// <summary>The CSeq method token as written.</summary>
    public ByteRange CSeqMethodToken { get; internal set; }

    /// <summary>The Max-Forwards value, or -1 when the header is absent.</summary>
    public int MaxForwards { get; internal set; } = -1;

    /// <summary>Index of the first header of a kind, or -1.</summary>
    public int IndexOf(HeaderKind kind)
    {
        for (int i = 0; i < HeaderCount; i++)
        {
            if (_headers[i].Kind == kind) return i;
        }
        return -1;
    }

    /// <summary>True when at least one header of the kind is present.</summary>
    public bool Has(HeaderKind kind) => IndexOf(kind) >= 0;

    /// <summary>The value of the first header of a kind, or an empty span.</summary>
    public ReadOnlySpan<byte> FirstValue(HeaderKind kind)
    {
        int i = IndexOf(kind);
        return i < 0 ? default : this[_headers[i].Value];
    }

    /// <summary>
    /// The first element of the first header of a kind, for headers that may hold a comma-separated list
    /// (Via, Route, Record-Route).
    /// </summary>
    public ReadOnlySpan<byte> FirstListElement(HeaderKind kind)
    {
        ReadOnlySpan<byte> value = FirstValue(kind);
        return SipSyntax.Trim(value[..SipSyntax.FirstListElementLength(value)]);
    }

    /// <summary>The topmost Via entry.</summary>
    public ViaValue TopVia => ViaValue.Parse(FirstListElement(HeaderKind.Via));

    /// <summary>The Call-ID.</summary>
    public ReadOnlySpan<byte> CallId => FirstValue(HeaderKind.CallId);

    /// <summary>The tag parameter of the To header, empty outside a dialog.</summary>
    public ReadOnlySpan<byte> ToTag => NameAddress.Parse(FirstValue(HeaderKind.To)).Parameter("tag"u8);

    /// <summary>The tag parameter of the From header.</summary>
    public ReadOnlySpan<byte> FromTag => NameAddress.Parse(FirstValue(HeaderKind.From)).Parameter("tag"u8);

    /// <summary>Keeps the message alive beyond its current owner.</summary>
    public SipMessage Retain()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    /// <summary>Drops one reference; the buffers go back to the pool at zero.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<HeaderField>.Shared.Return(_headers);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("SipMessage released more often than retained.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Release();
}
