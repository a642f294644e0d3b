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
/// Bridges the media of calls through RTPEngine at the edge. Only requests that enter from outside are touched (a call
/// between two users passes the edge twice, and is bridged once): an INVITE, re-INVITE or UPDATE with SDP is offered
/// (a new call on a node chosen by weight, recorded in the Record-Route; a re-INVITE on the node its Route names),
/// the answer comes back through <see cref="MediaSession"/>, an ACK with SDP answers a late offer, a BYE deletes. A
/// new call whose offer no node takes fails with 503, not a call without media.
/// </summary>
public sealed class MediaBridge(MediaNodes nodes, IOptions<MediaOptions> options, ILogger<MediaBridge> logger)
{
    private readonly MediaFlags _flags = new(options.Value);

    /// <summary>Adds the media handling to <paramref name="decision"/> for a request that came from outside.</summary>
    public ValueTask<RoutingDecision> FromOutsideAsync(SipMessage request, RoutingContext context, ValueTask<RoutingDecision> decision)
    {
        bool hasSdp = !request.Body.IsEmpty;
        return request.Method switch
        {
            SipMethod.Invite or SipMethod.Other when request.Method == SipMethod.Invite || IsUpdate(request) => OfferAsync(request, context, decision, hasSdp),
            SipMethod.Ack when hasSdp && !request.ToTag.IsEmpty => AnswerLateOfferAsync(request, context, decision),
            SipMethod.Bye => Delete(request, decision),
            _ => decision,
        };
    }

    /// <summary>
    /// For a new call the edge relays from a router (its second pass, toward the callee): the SDP was bridged on the
    /// first pass; this hop's Record-Route only repeats the media node, so in-dialog requests from the callee's side
    /// find it too.
    /// </summary>
    public RoutingDecision FromRouter(SipMessage request, RoutingDecision decision)
    {
        if (request.Method != SipMethod.Invite || !request.ToTag.IsEmpty) return decision;
        IPEndPoint? node = NodeIn(request, HeaderKind.RecordRoute, anyEntry: true);
        return node is null ? decision : decision.WithMedia(null, MediaNodeParameter.Format(node), null);
    }

    private async ValueTask<RoutingDecision> OfferAsync(SipMessage request, RoutingContext context, ValueTask<RoutingDecision> pending, bool hasSdp)
    {
        RoutingDecision decision = await pending;
        if (decision.Destination is null && decision.Plan is null) return decision; // answered here: nothing to bridge
        bool initial = request.ToTag.IsEmpty;
        string callId = Encoding.ASCII.GetString(request.CallId);
        string fromTag = Encoding.ASCII.GetString(request.FromTag);
        string? toTag = initial ? null : Encoding.ASCII.GetString(request.ToTag);
        IPAddress source = context.Source.Address;

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
        }

        string? sdp = hasSdp ? Encoding.UTF8.GetString(request[request.Body]) : null;
        foreach (NextHopTarget candidate in candidates)
        {
            NgClient client = nodes.Client(candidate.EndPoint);
            try
            {
                byte[]? body = sdp is null ? null : Encoding.UTF8.GetBytes(await client.OfferAsync(callId, fromTag, sdp, _flags.Offer(source, toTag)));
                var session = new MediaSession(client, _flags, callId, fromTag, initial, lateOffer: sdp is null, logger);
                return decision.WithMedia(body, initial ? MediaNodeParameter.Format(candidate.EndPoint) : null, session);
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

    private async ValueTask<RoutingDecision> AnswerLateOfferAsync(SipMessage request, RoutingContext context, ValueTask<RoutingDecision> pending)
    {
        RoutingDecision decision = await pending;
        if (NodeIn(request, HeaderKind.Route, anyEntry: false) is not { } node) return decision;
        string callId = Encoding.ASCII.GetString(request.CallId);
        try
        {
            // The callee offered in its 200 (from-tag: the callee's); this ACK from the caller answers.
            string sdp = await nodes.Client(node).AnswerAsync(callId, Encoding.ASCII.GetString(request.ToTag), Encoding.ASCII.GetString(request.FromTag),
                Encoding.UTF8.GetString(request[request.Body]), _flags.Answer(context.Source.Address));
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
    /// The media node named by a <c>vp-m</c> parameter: in the topmost Route entry (this hop's, for an in-dialog
    /// request), or in any Record-Route entry (only this platform's edge writes it).
    /// </summary>
    private static IPEndPoint? NodeIn(SipMessage request, HeaderKind kind, bool anyEntry)
    {
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != kind) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(request[header.Value]))
            {
                SipUri uri = SipUri.Parse(NameAddress.Parse(element).Uri);
                if (uri.IsValid && MediaNodeParameter.TryParse(uri.Parameter(MediaNodeParameter.NameBytes), out IPEndPoint? node)) return node;
                if (!anyEntry) return null;
            }
        }
        return null;
    }
}
