using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Writing;

/// <summary>
/// The byte-level edits a proxy makes to messages it relays. Every header the proxy does not own is copied as
/// received, so extensions it does not understand pass through untouched.
/// </summary>
public static class ProxyRewriter
{
    /// <summary>Writes the forwarded copy of a request: new top Via, Max-Forwards decremented, Route/Record-Route handled.</summary>
    public static OutgoingMessage ForwardRequest(SipMessage request, scoped in ForwardedRequest forward)
    {
        var writer = new SipWriter(request.Length + 256 + forward.HeaderLines.Length + forward.RequestUri.Length + forward.Body.Length);
        writer.Write(request[request.MethodToken]);
        writer.Write((byte)' ');
        writer.Write(forward.RequestUri.IsEmpty ? request[request.RequestUri] : forward.RequestUri);
        writer.Write(" SIP/2.0\r\n"u8);

        writer.Write("Via: SIP/2.0/"u8);
        writer.Write(forward.ViaTransport.IsEmpty ? "UDP"u8 : forward.ViaTransport);
        writer.Write((byte)' ');
        writer.Write(forward.ViaSentBy);
        writer.Write(";branch="u8);
        writer.Write(forward.Branch);
        writer.WriteCrlf();
        bool firstVia = true, hasContentLength = false;
        int routesToRemove = Math.Max(forward.RemovedRoutes, forward.RemoveTopRoute ? 1 : 0);
        int hopHeadersAt = LastIndexOf(request, HeaderKind.Via) + 1;
        for (int i = 0; i < request.HeaderCount; i++)
        {
            ref readonly HeaderField header = ref request.Headers[i];
            ReadOnlySpan<byte> value = request[header.Value];
            if (i == hopHeadersAt) WriteHopHeaders(ref writer, request, forward);
            switch (header.Kind)
            {
                case HeaderKind.Via when firstVia:
                    firstVia = false;
                    WritePreviousHopVia(ref writer, request[header.Name], value, forward);
                    continue;
                case HeaderKind.Route when routesToRemove > 0:
                    routesToRemove = WriteWithoutLeadingElements(ref writer, request[header.Name], value, routesToRemove);
                    continue;
                case HeaderKind.MaxForwards:
                    writer.Write(request[header.Name]);
                    writer.Write(": "u8);
                    writer.Write(Math.Max(0, request.MaxForwards - 1));
                    writer.WriteCrlf();
                    continue;
                case HeaderKind.TraceParent:
                    continue; // replaced by this hop's context above
                case HeaderKind.ContentLength when forward.ReplaceBody:
                    continue; // written below for the new body
                case HeaderKind.ContentLength:
                    hasContentLength = true;
                    break;
            }
            WriteUnchanged(ref writer, request, header);
        }
        if (hopHeadersAt == request.HeaderCount) WriteHopHeaders(ref writer, request, forward);
        ReadOnlySpan<byte> body = forward.ReplaceBody ? forward.Body : request[request.Body];
        if (!hasContentLength) WriteContentLength(ref writer, body.Length);
        writer.WriteCrlf();
        writer.Write(body);
        return writer.Complete();
    }

    private static void WriteContentLength(ref SipWriter writer, int length)
    {
        writer.Write(HeaderNames.ContentLength);
        writer.Write(": "u8);
        writer.Write(length);
        writer.WriteCrlf();
    }

    /// <summary>Writes the relayed copy of a response: the topmost Via (this hop's) removed, all else as received.</summary>
    public static OutgoingMessage ForwardResponse(SipMessage response) => ForwardResponse(response, default, replaceBody: false);

    /// <summary>
    /// Writes the relayed copy of a response with <paramref name="body"/> in place of its own when
    /// <paramref name="replaceBody"/> is set (an SDP answer rewritten by a media relay), Content-Length following it.
    /// </summary>
    public static OutgoingMessage ForwardResponse(SipMessage response, ReadOnlySpan<byte> body, bool replaceBody)
    {
        var writer = new SipWriter(response.Length + (replaceBody ? body.Length + 32 : 0));
        int firstHeader = response.Headers.Length > 0 ? response.Headers[0].Name.Start : response.Body.Start;
        writer.Write(response.Bytes[..FindStartLineEnd(response.Bytes, firstHeader)]);
        bool firstVia = true;
        foreach (ref readonly HeaderField header in response.Headers)
        {
            if (header.Kind == HeaderKind.Via && firstVia)
            {
                firstVia = false;
                WriteWithoutFirstElement(ref writer, response[header.Name], response[header.Value]);
                continue;
            }
            if (header.Kind == HeaderKind.ContentLength && replaceBody) continue;
            WriteUnchanged(ref writer, response, header);
        }
        if (replaceBody) WriteContentLength(ref writer, body.Length);
        writer.WriteCrlf();
        writer.Write(replaceBody ? body : response[response.Body]);
        return writer.Complete();
    }

    /// <summary>
    /// Builds the hop-by-hop ACK for a non-2xx final response to an INVITE this hop sent (RFC 3261 section 17.1.1.3):
    /// same Request-URI, Call-ID, From, CSeq number and top Via as the INVITE, To from the response, Route headers kept.
    /// </summary>
    public static OutgoingMessage BuildAck(SipMessage sentInvite, SipMessage response) =>
        BuildInviteSibling(sentInvite, "ACK"u8, response.FirstValue(HeaderKind.To));

    /// <summary>Builds the CANCEL for an INVITE this hop sent (RFC 3261 section 9.1).</summary>
    public static OutgoingMessage BuildCancel(SipMessage sentInvite) =>
        BuildInviteSibling(sentInvite, "CANCEL"u8, sentInvite.FirstValue(HeaderKind.To));

    private static OutgoingMessage BuildInviteSibling(SipMessage invite, ReadOnlySpan<byte> method, ReadOnlySpan<byte> to)
    {
        var writer = new SipWriter(512);
        writer.Write(method);
        writer.Write((byte)' ');
        writer.Write(invite[invite.RequestUri]);
        writer.Write(" SIP/2.0\r\n"u8);
        writer.WriteHeader(HeaderNames.Via, invite.FirstListElement(HeaderKind.Via));
        foreach (ref readonly HeaderField header in invite.Headers)
        {
            if (header.Kind is HeaderKind.Route or HeaderKind.From or HeaderKind.CallId or HeaderKind.TraceParent)
            {
                writer.WriteHeader(invite[header.Name], invite[header.Value]);
            }
        }
        writer.WriteHeader(HeaderNames.To, to);
        writer.Write(HeaderNames.CSeq);
        writer.Write(": "u8);
        writer.Write(invite.CSeqNumber);
        writer.Write((byte)' ');
        writer.Write(method);
        writer.WriteCrlf();
        writer.WriteHeader(HeaderNames.MaxForwards, "70"u8);
        writer.WriteHeader(HeaderNames.ContentLength, "0"u8);
        writer.WriteCrlf();
        return writer.Complete();
    }

    /// <summary>
    /// The headers this hop adds, written right after the Via block so Vias stay together. Record-Route and Path
    /// precede every received one: this hop is the topmost entry (RFC 3261 section 16.6 step 4, RFC 3327 section 5.1),
    /// and a pre-loaded Route set precedes the received Route headers.
    /// </summary>
    private static void WriteHopHeaders(ref SipWriter writer, SipMessage request, scoped in ForwardedRequest forward)
    {
        if (!forward.RecordRouteUri.IsEmpty)
        {
            writer.Write("Record-Route: <"u8);
            writer.Write(forward.RecordRouteUri);
            if (!forward.InboundRecordRouteUri.IsEmpty)
            {
                writer.Write(">, <"u8);
                writer.Write(forward.InboundRecordRouteUri);
            }
            writer.Write(">\r\n"u8);
        }
        if (!forward.PathUri.IsEmpty)
        {
            writer.Write(HeaderNames.Path);
            writer.Write(": <"u8);
            writer.Write(forward.PathUri);
            writer.Write(">\r\n"u8);
        }
        writer.Write(forward.HeaderLines);
        if (!forward.TraceParent.IsEmpty)
        {
            writer.WriteHeader(HeaderNames.TraceParentBytes, forward.TraceParent);
        }
        if (request.MaxForwards < 0)
        {
            writer.WriteHeader(HeaderNames.MaxForwards, "70"u8);
        }
    }

    /// <summary>
    /// Copies a header line as received, name to end of value in one piece (folds were unfolded in place, so the
    /// range is one line), then CRLF.
    /// </summary>
    internal static void WriteUnchanged(ref SipWriter writer, SipMessage message, in HeaderField header)
    {
        writer.Write(message.Bytes[header.Name.Start..header.Value.End]);
        writer.WriteCrlf();
    }

    internal static int LastIndexOf(SipMessage message, HeaderKind kind)
    {
        for (int i = message.HeaderCount - 1; i >= 0; i--)
        {
            if (message.Headers[i].Kind == kind) return i;
        }
        return -1;
    }

    private static void WritePreviousHopVia(ref SipWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, scoped in ForwardedRequest forward)
    {
        int firstLength = SipSyntax.FirstListElementLength(value);
        ReadOnlySpan<byte> first = SipSyntax.Trim(value[..firstLength]);
        ViaValue via = ViaValue.Parse(first);

        writer.Write(name);
        writer.Write(": "u8);
        bool addReceived = !forward.SourceAddress.IsEmpty && (via.HasRport || !via.Host.SequenceEqual(forward.SourceAddress));
        if (!addReceived)
        {
            writer.Write(value);
            writer.WriteCrlf();
            return;
        }

        // Rewrite the previous hop's entry with received/rport (RFC 3261 section 18.2.1, RFC 3581 section 4).
        int semi = first.IndexOf((byte)';');
        writer.Write(semi < 0 ? first : first[..semi]);
        ReadOnlySpan<byte> parameters = semi < 0 ? default : first[(semi + 1)..];
        while (!parameters.IsEmpty)
        {
            int next = parameters.IndexOf((byte)';');
            ReadOnlySpan<byte> parameter = next < 0 ? parameters : parameters[..next];
            parameters = next < 0 ? default : parameters[(next + 1)..];
            ReadOnlySpan<byte> parameterName = SipSyntax.Trim(parameter.IndexOf((byte)'=') is var eq and >= 0 ? parameter[..eq] : parameter);
            if (System.Text.Ascii.EqualsIgnoreCase(parameterName, "received"u8) || System.Text.Ascii.EqualsIgnoreCase(parameterName, "rport"u8)) continue;
            writer.Write((byte)';');
            writer.Write(parameter);
        }
        writer.Write(";received="u8);
        writer.Write(forward.SourceAddress);
        if (via.HasRport)
        {
            writer.Write(";rport="u8);
            writer.Write(forward.SourcePort);
        }
        writer.Write(value[firstLength..]);
        writer.WriteCrlf();
    }

    /// <summary>
    /// Writes a Route line without its first <paramref name="count"/> entries (all of them: no line); returns how many
    /// are still to be removed from the following Route lines.
    /// </summary>
    private static int WriteWithoutLeadingElements(ref SipWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int count)
    {
        while (count > 0)
        {
            int firstLength = SipSyntax.FirstListElementLength(value);
            count--;
            if (firstLength >= value.Length) return count; // the line held only removed entries
            value = SipSyntax.Trim(value[(firstLength + 1)..]);
        }
        writer.WriteHeader(name, value);
        return 0;
    }

    private static void WriteWithoutFirstElement(ref SipWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int firstLength = SipSyntax.FirstListElementLength(value);
        if (firstLength >= value.Length) return; // the line held only the removed entry
        writer.WriteHeader(name, SipSyntax.Trim(value[(firstLength + 1)..]));
    }

    private static int FindStartLineEnd(ReadOnlySpan<byte> bytes, int firstHeaderStart) =>
        bytes[..firstHeaderStart].LastIndexOf((byte)'\n') + 1;
}
