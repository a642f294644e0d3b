using System.Diagnostics;
using System.Net;
using System.Text;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Diagnostics;

/// <summary>
/// Spans of SIP transactions and the W3C trace context carried between hops: in the
/// <see cref="Parsing.HeaderNames.TraceParent"/> header of forwarded requests, and in the <c>vp-tc</c> parameter
/// of this hop's Record-Route, so that in-dialog requests (ACK, BYE) join the trace of the INVITE.
/// </summary>
internal static class SipTracing
{
    /// <summary>Length of a version 00 traceparent: 00-32hex-16hex-2hex.</summary>
    public const int TraceParentLength = 55;

    public static ReadOnlySpan<byte> RouteParameterName => "vp-tc"u8;

    public static Activity? StartServerSpan(SipMessage request, ActivityContext parent, IPEndPoint source)
    {
        if (!SipTelemetry.ActivitySource.HasListeners()) return null;
        Activity? span = SipTelemetry.ActivitySource.StartActivity(SpanName(request), ActivityKind.Server, parent);
        if (span is null) return null;
        span.SetTag("sip.method", Encoding.ASCII.GetString(request[request.MethodToken]));
        span.SetTag("sip.call_id", Encoding.ASCII.GetString(request.CallId));
        span.SetTag("sip.cseq", request.CSeqNumber);
        span.SetTag("network.peer.address", source.Address.ToString());
        span.SetTag("network.peer.port", source.Port);
        span.SetTag("network.transport", "udp");
        return span;
    }

    public static Activity? StartClientSpan(SipMessage request, Activity? parent, IPEndPoint destination)
    {
        if (parent is null) return null;
        Activity? span = SipTelemetry.ActivitySource.StartActivity(SpanName(request) + " forward", ActivityKind.Client, parent.Context);
        if (span is null) return null;
        span.SetTag("sip.method", parent.GetTagItem("sip.method"));
        span.SetTag("sip.call_id", parent.GetTagItem("sip.call_id"));
        span.SetTag("server.address", destination.Address.ToString());
        span.SetTag("server.port", destination.Port);
        return span;
    }

    /// <summary>Ends a transaction's span at its final response; the transaction itself may linger for retransmissions.</summary>
    public static void End(ref Activity? span, int status)
    {
        if (span is null) return;
        span.SetTag("sip.status_code", status);
        if (status >= 500) span.SetStatus(ActivityStatusCode.Error);
        span.Dispose();
        span = null;
    }

    /// <summary>Reads a traceparent (as sent by the previous hop); default when absent or malformed.</summary>
    public static ActivityContext Parse(ReadOnlySpan<byte> traceParent)
    {
        traceParent = traceParent.Trim((byte)' ');
        if (traceParent.Length != TraceParentLength || !traceParent.StartsWith("00-"u8) || traceParent[35] != '-' || traceParent[52] != '-')
        {
            return default;
        }
        if (!IsHex(traceParent[3..35]) || !IsHex(traceParent[36..52]) || !IsHex(traceParent[53..])) return default;
        var traceId = ActivityTraceId.CreateFromUtf8String(traceParent[3..35]);
        var spanId = ActivitySpanId.CreateFromUtf8String(traceParent[36..52]);
        var flags = traceParent[54] == '1' ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        return new ActivityContext(traceId, spanId, flags, isRemote: true);
    }

    /// <summary>
    /// The context a call's spans hang from when no hop has passed one on: trace and parent span ids derived from
    /// the Call-ID. A UA that ignores Record-Route sends ACK and BYE without our context, yet every replica, with no
    /// shared state, puts them into the same trace as the INVITE.
    /// </summary>
    public static ActivityContext FromCallId(ReadOnlySpan<byte> callId)
    {
        Span<byte> id = stackalloc byte[16];
        BitConverter.TryWriteBytes(id, Fnv1a.Hash(callId));
        BitConverter.TryWriteBytes(id[8..], Fnv1a.Hash(callId, seed: 0x9E3779B97F4A7C15UL));
        var traceId = ActivityTraceId.CreateFromBytes(id);
        BitConverter.TryWriteBytes(id, Fnv1a.Hash(callId, seed: 0xC2B2AE3D27D4EB4FUL));
        var spanId = ActivitySpanId.CreateFromBytes(id[..8]);
        return new ActivityContext(traceId, spanId, ActivityTraceFlags.Recorded, isRemote: true);
    }

    /// <summary>Writes the traceparent of a span; returns the length (0 without a span).</summary>
    public static int Format(Activity? span, Span<byte> destination)
    {
        if (span is null || span.IdFormat != ActivityIdFormat.W3C || destination.Length < TraceParentLength) return 0;
        "00-"u8.CopyTo(destination);
        Span<byte> raw = stackalloc byte[16];
        span.TraceId.CopyTo(raw);
        Hex.Write(raw, destination[3..35]);
        destination[35] = (byte)'-';
        span.SpanId.CopyTo(raw[..8]);
        Hex.Write(raw[..8], destination[36..52]);
        destination[52] = (byte)'-';
        destination[53] = (byte)'0';
        destination[54] = (byte)((span.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? '1' : '0');
        return TraceParentLength;
    }

    private static string SpanName(SipMessage request) => request.Method switch
    {
        SipMethod.Invite => "SIP INVITE",
        SipMethod.Ack => "SIP ACK",
        SipMethod.Bye => "SIP BYE",
        SipMethod.Cancel => "SIP CANCEL",
        SipMethod.Register => "SIP REGISTER",
        SipMethod.Options => "SIP OPTIONS",
        _ => "SIP " + Encoding.ASCII.GetString(request[request.MethodToken]),
    };


    private static bool IsHex(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
        {
            if (!char.IsAsciiHexDigitLower((char)b) && !char.IsAsciiDigit((char)b)) return false;
        }
        return true;
    }
}
