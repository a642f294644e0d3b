using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Writing;

/// <summary>
/// Interworking with strict routers (RFC 2543 proxies, whose Route and Record-Route entries carry no <c>lr</c>), as
/// RFC 3261 asks of a loose router: the two rewrites of the Request-URI and Route set. Only requests that meet such a
/// router take these paths, so they build a new message rather than burden the common rewrite.
/// </summary>
public static class StrictRouting
{
    /// <summary>
    /// RFC 3261 section 16.4: a strict router upstream put this hop's Record-Route URI into the Request-URI, so the
    /// real Request-URI is the last Route entry: it takes the Request-URI's place and leaves the Route set.
    /// </summary>
    /// <returns>The request as it would have been received from a loose router; null when it has no Route entry.</returns>
    public static OutgoingMessage? RestoreRequestUri(SipMessage request)
    {
        int lastRoute = ProxyRewriter.LastIndexOf(request, HeaderKind.Route);
        if (lastRoute < 0) return null;
        ReadOnlySpan<byte> value = request[request.Headers[lastRoute].Value];
        ReadOnlySpan<byte> last = default;
        foreach (ReadOnlySpan<byte> element in new HeaderList(value)) last = element;
        if (last.IsEmpty || !value.Overlaps(last, out int lastStart)) return null;
        ReadOnlySpan<byte> uri = NameAddress.Parse(last).Uri;

        var writer = new SipWriter(request.Length + uri.Length);
        WriteStartLine(ref writer, request, uri);
        for (int i = 0; i < request.HeaderCount; i++)
        {
            ref readonly HeaderField header = ref request.Headers[i];
            if (i != lastRoute)
            {
                ProxyRewriter.WriteUnchanged(ref writer, request, header);
                continue;
            }
            // The entry goes; the entries before it on the same line stay.
            ReadOnlySpan<byte> before = SipSyntax.Trim(value[..lastStart]).TrimEnd((byte)',');
            if (!SipSyntax.Trim(before).IsEmpty) writer.WriteHeader(request[header.Name], SipSyntax.Trim(before));
        }
        return Finish(ref writer, request);
    }

    /// <summary>
    /// RFC 3261 section 16.6 step 6 (and 12.2.1.1): the next hop is a strict router (its Route entry has no <c>lr</c>),
    /// so it expects itself in the Request-URI: the first Route entry becomes the Request-URI and leaves the Route set,
    /// and the Request-URI goes to the end of the Route set.
    /// </summary>
    /// <param name="forwarded">The request as this hop would forward it to a loose router (own entry already removed).</param>
    /// <returns>The request in strict-routing form; null when it has no Route entry.</returns>
    public static OutgoingMessage? ToStrictForm(SipMessage forwarded)
    {
        int firstRoute = forwarded.IndexOf(HeaderKind.Route);
        if (firstRoute < 0) return null;
        ReadOnlySpan<byte> value = forwarded[forwarded.Headers[firstRoute].Value];
        int firstLength = SipSyntax.FirstListElementLength(value);
        ReadOnlySpan<byte> uri = NameAddress.Parse(SipSyntax.Trim(value[..firstLength])).Uri;
        ReadOnlySpan<byte> requestUri = forwarded[forwarded.RequestUri];
        int lastRoute = ProxyRewriter.LastIndexOf(forwarded, HeaderKind.Route);

        var writer = new SipWriter(forwarded.Length + requestUri.Length + 16);
        WriteStartLine(ref writer, forwarded, uri);
        for (int i = 0; i < forwarded.HeaderCount; i++)
        {
            ref readonly HeaderField header = ref forwarded.Headers[i];
            if (i == firstRoute)
            {
                if (firstLength < value.Length) writer.WriteHeader(forwarded[header.Name], SipSyntax.Trim(value[(firstLength + 1)..]));
            }
            else
            {
                ProxyRewriter.WriteUnchanged(ref writer, forwarded, header);
            }
            if (i == lastRoute)
            {
                writer.Write(HeaderNames.Route);
                writer.Write(": <"u8);
                writer.Write(requestUri);
                writer.Write(">\r\n"u8);
            }
        }
        return Finish(ref writer, forwarded);
    }

    private static void WriteStartLine(ref SipWriter writer, SipMessage request, ReadOnlySpan<byte> requestUri)
    {
        writer.Write(request[request.MethodToken]);
        writer.Write((byte)' ');
        writer.Write(requestUri);
        writer.Write(" SIP/2.0\r\n"u8);
    }

    private static OutgoingMessage Finish(ref SipWriter writer, SipMessage request)
    {
        writer.WriteCrlf();
        writer.Write(request[request.Body]);
        return writer.Complete();
    }
}
