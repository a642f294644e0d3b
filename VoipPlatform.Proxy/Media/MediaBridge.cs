using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Media;

/// <summary>
/// Bridges the media of calls through RTPEngine at the edge, once per call: a call between two users passes the edge
/// twice and is bridged on its way in; a call from the inside (an application server) out to a phone is bridged on its
/// way out. An INVITE, re-INVITE or UPDATE with SDP is offered (a new call on a node chosen by weight, recorded in the
/// Record-Route; later offers on the node its Route names), the answer comes back through <see cref="MediaSession"/>,
/// an ACK with SDP answers a late offer, a BYE deletes. A new call whose offer no node takes fails with 503, not a call
/// without media.
/// </summary>
public sealed class MediaBridge(MediaNodes nodes, IOptions<MediaOptions> options, ILogger<MediaBridge> logger)
{
    private readonly MediaFlags _flags = new(options.Value);

    /// <summary>Adds the media handling to <paramref name="decision"/> for a request that came from outside.</summary>
    public ValueTask<RoutingDecision> FromOutsideAsync(SipMessage request, RoutingContext context, ValueTask<RoutingDecision> decision) =>
        Bridge(request, decision, context.Source.Address, MediaDirection.Inbound);

    /// <summary>
    /// Adds the media handling to <paramref name="decision"/> for a request a router sent. A new call bridged on its
    /// way in only gets the node repeated in this hop's Record-Route, so in-dialog requests from the callee's side find
    /// it too; a new call from the inside is bridged here, inside to outside; inside a dialog, a request is bridged
    /// only when its call was bridged on its way out (<c>vp-mo</c> in this hop's Route entry).
    /// </summary>
    public ValueTask<RoutingDecision> FromRouterAsync(SipMessage request, ValueTask<RoutingDecision> decision)
    {
        if (request.Method == SipMethod.Invite && request.ToTag.IsEmpty)
        {
            return NodeIn(request, HeaderKind.RecordRoute, anyEntry: true) is { } node
                ? WithNodeAsync(decision, MediaNodeParameter.Format(node))
                : Bridge(request, decision, source: null, MediaDirection.Outbound); // the inside's SDP is trusted
        }
        return NodeIn(request, HeaderKind.Route, anyEntry: false, outboundOnly: true) is not null
            ? Bridge(request, decision, source: null, MediaDirection.Outbound)
            : decision;
    }

    private ValueTask<RoutingDecision> Bridge(SipMessage request, ValueTask<RoutingDecision> decision, IPAddress? source, MediaDirection direction)
    {
        bool hasSdp = !request.Body.IsEmpty;
        return request.Method switch
        {
            SipMethod.Invite or SipMethod.Other when request.Method == SipMethod.Invite || IsUpdate(request) => OfferAsync(request, decision, source, direction, hasSdp),
            SipMethod.Ack when hasSdp && !request.ToTag.IsEmpty => AnswerLateOfferAsync(request, source, decision),
            SipMethod.Bye => Delete(request, decision),
            _ => decision,
        };
    }

    /// <summary>The decision with <paramref name="recordRouteParameter"/>; without a state machine when it is ready (the usual case).</summary>
    private static ValueTask<RoutingDecision> WithNodeAsync(ValueTask<RoutingDecision> pending, string recordRouteParameter)
    {
        return pending.IsCompletedSuccessfully ? new(pending.Result.WithMedia(null, recordRouteParameter, null)) : Awaited(pending, recordRouteParameter);

        static async ValueTask<RoutingDecision> Awaited(ValueTask<RoutingDecision> pending, string parameter) =>
            (await pending).WithMedia(null, parameter, null);
    }

    private async ValueTask<RoutingDecision> OfferAsync(SipMessage request, ValueTask<RoutingDecision> pending, IPAddress? source,
        MediaDirection direction, bool hasSdp)
    {
        RoutingDecision decision = await pending;
        if (decision.Destination is null && decision.Plan is null) return decision; // answered here: nothing to bridge
        bool initial = request.ToTag.IsEmpty;
        string callId = Encoding.ASCII.GetString(request.CallId);
        string fromTag = Encoding.ASCII.GetString(request.FromTag);
        string? toTag = initial ? null : Encoding.ASCII.GetString(request.ToTag);

        NextHopTarget[] candidates;
        if (initial)
        {
            candidates = await nodes.OrderAsync(request.CallId.ToArray());
        }
        else
        {
            // The call's node, from this hop's Route entry; a dialog bridged by no node stays unbridged.
            if (NodeIn(request, HeaderKind.Route, anyEntry: false) is not { } node) return decision;
            candidates = [new NextHopTarget(node.ToString(), node, 0, 0)];
            direction = MediaDirection.Unchanged;
        }

        string? sdp = hasSdp ? Encoding.UTF8.GetString(request[request.Body]) : null;
        foreach (NextHopTarget candidate in candidates)
        {
            NgClient client = nodes.Client(candidate.EndPoint);
            try
            {
                byte[]? body = sdp is null ? null : Encoding.UTF8.GetBytes(await client.OfferAsync(callId, fromTag, sdp, _flags.Offer(source, toTag, direction)));
                MediaDirection? lateOffer = sdp is not null ? null
                    : direction switch { MediaDirection.Inbound => MediaDirection.Outbound, MediaDirection.Outbound => MediaDirection.Inbound, _ => direction };
                var session = new MediaSession(client, _flags, callId, fromTag, initial, lateOffer, logger);
                string? recordRoute = initial ? MediaNodeParameter.Format(candidate.EndPoint, outbound: direction == MediaDirection.Outbound) : null;
                return decision.WithMedia(body, recordRoute, session);
            }
            catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or System.Net.Sockets.SocketException)
            {
                Activity.Current?.AddEvent(new ActivityEvent("rtpengine.offer.failed", tags: new ActivityTagsCollection
                {
                    ["rtpengine.node"] = candidate.EndPoint.ToString(),
                    ["error"] = ex.Message,
                }));
                logger.LogWarning("RTPEngine {Node} refused or missed the offer of call {CallId}: {Reason}", candidate.EndPoint, callId, ex.Message);
                if (ex is not NgErrorException) nodes.MarkFailed(candidate);
                if (ex is NgErrorException) break; // RTPEngine understood and refused (a bad SDP): another node would too
            }
        }
        return RoutingDecision.Reject(SipStatus.ServiceUnavailable, "Media relay unavailable");
    }

    private async ValueTask<RoutingDecision> AnswerLateOfferAsync(SipMessage request, IPAddress? source, ValueTask<RoutingDecision> pending)
    {
        RoutingDecision decision = await pending;
        if (NodeIn(request, HeaderKind.Route, anyEntry: false) is not { } node) return decision;
        string callId = Encoding.ASCII.GetString(request.CallId);
        try
        {
            // The callee offered in its 200 (from-tag: the callee's); this ACK from the caller answers.
            string sdp = await nodes.Client(node).AnswerAsync(callId, Encoding.ASCII.GetString(request.ToTag), Encoding.ASCII.GetString(request.FromTag),
                Encoding.UTF8.GetString(request[request.Body]), _flags.Answer(source));
            return decision.WithMedia(Encoding.UTF8.GetBytes(sdp), null, null);
        }
        catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or System.Net.Sockets.SocketException)
        {
            logger.LogWarning("RTPEngine {Node} could not answer the late offer of call {CallId}: {Reason}", node, callId, ex.Message);
            return decision;
        }
    }

    private ValueTask<RoutingDecision> Delete(SipMessage request, ValueTask<RoutingDecision> decision)
    {
        if (NodeIn(request, HeaderKind.Route, anyEntry: false) is { } node)
        {
            // Not awaited: the BYE goes on at once; RTPEngine's own timeout covers a lost delete.
            _ = DeleteAsync(nodes.Client(node), Encoding.ASCII.GetString(request.CallId), Encoding.ASCII.GetString(request.FromTag));
        }
        return decision;
    }

    private async Task DeleteAsync(NgClient node, string callId, string fromTag)
    {
        try
        {
            await node.DeleteAsync(callId, fromTag);
        }
        catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or System.Net.Sockets.SocketException)
        {
            logger.LogInformation("RTPEngine {Node} did not delete call {CallId}: {Reason}", node.Endpoint, callId, ex.Message);
        }
    }

    /// <summary>UPDATE has no method code of its own in the core; recognised by its token.</summary>
    private static bool IsUpdate(SipMessage request) => request[request.MethodToken].SequenceEqual("UPDATE"u8);

    /// <summary>
    /// The media node named by a <c>vp-m</c> or <c>vp-mo</c> parameter (<paramref name="outboundOnly"/>: only
    /// <c>vp-mo</c>, a call bridged on its way out): in the topmost Route entry (this hop's, for an in-dialog request),
    /// or in any Record-Route entry (only this platform's edge writes it).
    /// </summary>
    private static IPEndPoint? NodeIn(SipMessage request, HeaderKind kind, bool anyEntry, bool outboundOnly = false)
    {
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != kind) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(request[header.Value]))
            {
                SipUri uri = SipUri.Parse(NameAddress.Parse(element).Uri);
                if (uri.IsValid && (MediaNodeParameter.TryParse(uri.Parameter(MediaNodeParameter.OutboundName), out IPEndPoint? node)
                                    || !outboundOnly && MediaNodeParameter.TryParse(uri.Parameter(MediaNodeParameter.InboundName), out node)))
                {
                    return node;
                }
                if (!anyEntry) return null;
            }
        }
        return null;
    }
}
