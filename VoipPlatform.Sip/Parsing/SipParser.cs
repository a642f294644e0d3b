using System.Buffers;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Parsing;

/// <summary>
/// Parses SIP messages (RFC 3261 section 7) from datagrams into <see cref="SipMessage"/>: one copy of the bytes
/// into a pooled buffer, then offsets only. Accepts compact header names, folded header values (which are
/// unfolded in place, keeping every offset), and bare LF line ends.
/// </summary>
public static class SipParser
{
    /// <summary>
    /// Parses one message from a datagram. On <see cref="SipParseStatus.Ok"/> the caller owns
    /// <paramref name="message"/>; otherwise <paramref name="reason"/> says briefly what was wrong.
    /// </summary>
    public static SipParseStatus TryParse(ReadOnlySpan<byte> datagram, out SipMessage? message, out string reason)
    {
        message = null;
        reason = string.Empty;

        int start = 0;
        while (start < datagram.Length && datagram[start] is (byte)'\r' or (byte)'\n') start++;
        if (start == datagram.Length) return SipParseStatus.KeepAlive;
        datagram = datagram[start..];

        byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        HeaderField[] headers = ArrayPool<HeaderField>.Shared.Rent(SipMessage.MaxHeaders);
        var builder = new Builder(buffer, datagram.Length, headers);
        if (!builder.Run(out reason))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<HeaderField>.Shared.Return(headers);
            return SipParseStatus.Malformed;
        }

        message = builder.Build();
        return SipParseStatus.Ok;
    }

    private ref struct Builder(byte[] buffer, int length, HeaderField[] headers)
    {
        private int _headerCount;
        private bool _isRequest;
        private SipMethod _method;
        private ByteRange _methodToken, _requestUri, _reason, _body, _cseqMethodToken;
        private int _statusCode, _maxForwards = -1;
        private long _cseq;
        private SipMethod _cseqMethod;
        private string? _defect, _rejection;

        public bool Run(out string reason)
        {
            Span<byte> data = buffer.AsSpan(0, length);
            int pos = 0;
            if (!NextLine(data, ref pos, out var startLine)) { reason = "Incomplete start line"; return false; }
            if (!ParseStartLine(data, startLine, out reason)) return false;

            bool headersEnded = false;
            while (NextLine(data, ref pos, out var line))
            {
                if (line.IsEmpty) { headersEnded = true; break; }
                if (data[line.Start] is (byte)' ' or (byte)'\t')
                {
                    if (_headerCount == 0) { reason = "Continuation line before any header"; return false; }
                    Unfold(data, ref headers[_headerCount - 1], line);
                    continue;
                }
                if (_headerCount == SipMessage.MaxHeaders) { reason = "Too many headers"; return false; }
                if (ParseHeaderLine(data, line, out headers[_headerCount], out reason)) _headerCount++;
                else if (!Defect(reason)) return false; // a response with a broken line is dropped
            }
            // A datagram that ends right after a complete header line has no body; only a cut-off line is fatal.
            if (!headersEnded && pos < data.Length) { reason = "Missing blank line after headers"; return false; }

            return InterpretHeaders(data, pos, out reason);
        }

        /// <summary>
        /// The header table cut to this message: parsing fills one of <see cref="SipMessage.MaxHeaders"/> entries, but a
        /// message a transaction holds for half a minute (RFC 6026's Accepted state) should keep 16 entries (384 B)
        /// rather than 128 (3 KiB): a heap dump of an edge holding 20,000 calls found 22,000 such tables (65 MB).
        /// </summary>
        private readonly HeaderField[] SizedHeaders()
        {
            HeaderField[] sized = ArrayPool<HeaderField>.Shared.Rent(Math.Max(_headerCount, 1));
            headers.AsSpan(0, _headerCount).CopyTo(sized);
            ArrayPool<HeaderField>.Shared.Return(headers);
            return sized;
        }

        public SipMessage Build() => new(buffer, length, pooled: true, SizedHeaders(), _headerCount)
        {
            IsRequest = _isRequest,
            Method = _method,
            MethodToken = _methodToken,
            RequestUri = _requestUri,
            StatusCode = _statusCode,
            ReasonPhrase = _reason,
            Body = _body,
            CSeqNumber = _cseq,
            CSeqMethod = _cseqMethod,
            CSeqMethodToken = _cseqMethodToken,
            MaxForwards = _maxForwards,
            IsSupportedVersion = !_isRequest || IsSupportedVersion,
            Defect = _defect,
        };

        /// <summary>Finds the next line (without its CRLF or LF); returns false at the end of data.</summary>
        private static bool NextLine(ReadOnlySpan<byte> data, ref int pos, out ByteRange line)
        {
            line = default;
            if (pos >= data.Length) return false;
            int lf = data[pos..].IndexOf((byte)'\n');
            if (lf < 0) return false;
            int end = pos + lf;
            int contentEnd = end > pos && data[end - 1] == '\r' ? end - 1 : end;
            line = new ByteRange(pos, contentEnd - pos);
            pos = end + 1;
            return true;
        }

        private bool ParseStartLine(ReadOnlySpan<byte> data, ByteRange range, out string reason)
        {
            ReadOnlySpan<byte> line = data.Slice(range.Start, range.Length);
            reason = "Malformed start line";
            if (line.StartsWith("SIP/"u8))
            {
                // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
                int sp = line.IndexOf((byte)' ');
                if (sp < 0 || line.Length < sp + 4) return false;
                if (!line[..sp].SequenceEqual("SIP/2.0"u8)) { reason = "Unsupported SIP version"; return false; }
                ReadOnlySpan<byte> code = line.Slice(sp + 1, 3);
                if (!SipSyntax.TryParseNonNegative(code, out long status) || status is < 100 or > 699) return false;
                if (line.Length > sp + 4 && line[sp + 4] != ' ') return false;
                _statusCode = (int)status;
                int reasonStart = Math.Min(line.Length, sp + 5);
                _reason = new ByteRange(range.Start + reasonStart, line.Length - reasonStart);
                return true;
            }

            // Request-Line = Method SP Request-URI SP SIP-Version
            int sp1 = line.IndexOf((byte)' ');
            if (sp1 <= 0 || !SipMethods.IsToken(line[..sp1]) || line.IndexOf("SIP/"u8) < 0) return false;
            _isRequest = true;
            _method = SipMethods.Classify(line[..sp1]);
            _methodToken = new ByteRange(range.Start, sp1);
            IsSupportedVersion = true;

            // It is a request: from here on a flaw is a defect answered with 400, not a reason to drop it.
            int sp2 = line.LastIndexOf((byte)' ');
            ReadOnlySpan<byte> uri = sp2 > sp1 ? line[(sp1 + 1)..sp2] : default;
            ReadOnlySpan<byte> version = sp2 > sp1 ? line[(sp2 + 1)..] : default;
            if (uri.IsEmpty || uri.IndexOfAny((byte)' ', (byte)'\t') >= 0 || !version.StartsWith("SIP/"u8))
            {
                Defect("Malformed Request-Line");
                return true;
            }
            _requestUri = new ByteRange(range.Start + sp1 + 1, uri.Length);
            IsSupportedVersion = version.SequenceEqual("SIP/2.0"u8);
            return true;
        }

        public bool IsSupportedVersion { get; private set; }

        private static bool ParseHeaderLine(ReadOnlySpan<byte> data, ByteRange range, out HeaderField header, out string reason)
        {
            header = default;
            reason = "Malformed header line";
            ReadOnlySpan<byte> line = data.Slice(range.Start, range.Length);
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) return false;
            var (nameStart, nameLength) = SipSyntax.Trim(data, range.Start, colon);
            ReadOnlySpan<byte> name = data.Slice(nameStart, nameLength);
            if (!SipMethods.IsToken(name)) return false;
            var (valueStart, valueLength) = SipSyntax.Trim(data, range.Start + colon + 1, range.Length - colon - 1);
            header = new HeaderField(HeaderNames.Classify(name), new ByteRange(nameStart, nameLength), new ByteRange(valueStart, valueLength), Folded: false);
            return true;
        }

        /// <summary>
        /// Joins a continuation line to the previous header: the line break before it becomes spaces in place,
        /// so the value stays one contiguous range and no offset moves (RFC 3261 section 7.3.1).
        /// </summary>
        private static void Unfold(Span<byte> data, ref HeaderField header, ByteRange continuation)
        {
            int valueStart = header.Value.IsEmpty ? continuation.Start : header.Value.Start;
            for (int i = header.Value.IsEmpty ? valueStart : header.Value.End; i < continuation.Start; i++)
            {
                data[i] = (byte)' ';
            }
            var (start, len) = SipSyntax.Trim(data, valueStart, continuation.End - valueStart);
            header = header with { Value = new ByteRange(start, len), Folded = true };
        }

        private bool InterpretHeaders(ReadOnlySpan<byte> data, int bodyStart, out string reason)
        {
            reason = string.Empty;
            int available = data.Length - bodyStart;
            long contentLength = -1;
            bool seenCSeq = false, seenCallId = false, seenFrom = false, seenTo = false, seenMaxForwards = false;

            for (int i = 0; i < _headerCount; i++)
            {
                ref readonly HeaderField h = ref headers[i];
                ReadOnlySpan<byte> value = data.Slice(h.Value.Start, h.Value.Length);
                switch (h.Kind)
                {
                    case HeaderKind.ContentLength:
                        if (!SipSyntax.TryParseNonNegative(value, out long cl) || cl > int.MaxValue)
                        {
                            Defect("Bad Content-Length");
                            break;
                        }
                        if (contentLength >= 0 && contentLength != cl) Defect("Conflicting Content-Length values");
                        else contentLength = cl;
                        break;
                    case HeaderKind.CSeq:
                        if (seenCSeq) { Defect("Multiple CSeq values"); break; }
                        if (!ParseCSeq(value, h.Value.Start)) Defect("Bad CSeq");
                        seenCSeq = true;
                        break;
                    case HeaderKind.CallId:
                        if (value.IsEmpty) Defect("Empty Call-ID");
                        else if (seenCallId) Defect("Multiple Call-ID values");
                        seenCallId = true;
                        break;
                    case HeaderKind.From:
                        if (seenFrom) Defect("Multiple From values");
                        seenFrom = true;
                        break;
                    case HeaderKind.To:
                        if (seenTo) Defect("Multiple To values");
                        seenTo = true;
                        break;
                    case HeaderKind.MaxForwards:
                        if (!SipSyntax.TryParseNonNegative(value, out long mf) || mf > 255)
                        {
                            Defect("Bad Max-Forwards");
                            break;
                        }
                        if (seenMaxForwards) Defect("Multiple Max-Forwards values");
                        else _maxForwards = (int)mf;
                        seenMaxForwards = true;
                        break;
                }
            }

            // Over UDP a missing Content-Length means "the rest of the datagram" (RFC 3261 section 18.3), and so does
            // a contradictory one: the message is answered 400 and its body never used.
            if (contentLength < 0 || _defect is not null) contentLength = available;
            if (contentLength > available)
            {
                Defect("Content-Length exceeds the message");
                contentLength = available;
            }
            if (_rejection is not null)
            {
                reason = _rejection;
                return false;
            }
            _body = new ByteRange(bodyStart, (int)contentLength);
            return true;
        }

        /// <summary>
        /// Records the first reason a request, though parsed, must not be processed: it is answered 400 instead of
        /// dropped. A response cannot be answered, so for one the flaw rejects the whole message; returns false then.
        /// </summary>
        private bool Defect(string reason)
        {
            if (_isRequest) _defect ??= reason;
            else _rejection ??= reason;
            return _isRequest;
        }

        private bool ParseCSeq(ReadOnlySpan<byte> value, int offset)
        {
            int sp = value.IndexOfAny((byte)' ', (byte)'\t');
            if (sp <= 0) return false;
            if (!SipSyntax.TryParseNonNegative(value[..sp], out _cseq) || _cseq > uint.MaxValue) return false;
            int methodStart = sp;
            while (methodStart < value.Length && value[methodStart] is (byte)' ' or (byte)'\t') methodStart++;
            ReadOnlySpan<byte> method = value[methodStart..];
            if (!SipMethods.IsToken(method)) return false;
            _cseqMethod = SipMethods.Classify(method);
            _cseqMethodToken = new ByteRange(offset + methodStart, method.Length);
            return true;
        }
    }
}
