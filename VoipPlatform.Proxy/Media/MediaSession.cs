using System.Diagnostics;
using System.Net;
using System.Text;
using VoipPlatform.RtpEngine.Ng;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Media;

/// <summary>
/// One SDP exchange of a call on its media node, seen from the responses of the transaction that carried the offer:
/// an SDP in a 18x/2xx is answered through RTPEngine (or, after an INVITE without SDP, offered: a late offer whose
/// answer comes in the ACK), and a failed initial INVITE (error, timeout, CANCEL's 487) deletes the session.
/// </summary>
/// <param name="lateOffer">For a request without SDP, the direction of the offer its 2xx brings; null when the request
/// carried the offer.</param>
internal sealed class MediaSession(NgClient node, MediaFlags flags, string callId, string offererTag, bool initial, MediaDirection? lateOffer,
    ILogger logger) : IResponseRewriter
{
    /// <inheritdoc />
    public bool Wants(SipMessage response) =>
        response.StatusCode is >= 180 and < 300 && !response.Body.IsEmpty && response.CSeqMethod is SipMethod.Invite or SipMethod.Other;

    /// <inheritdoc />
    public async ValueTask<byte[]?> RewriteAsync(SipMessage response)
    {
        string sdp = Encoding.UTF8.GetString(response[response.Body]);
        string answererTag = Encoding.ASCII.GetString(response.ToTag);
        try
        {
            string rewritten = lateOffer is { } direction
                // The callee offers in its 200; the caller's answer will come in the ACK.
                ? await node.OfferAsync(callId, answererTag, sdp, flags.Offer(source: null, offererTag, direction))
                : await node.AnswerAsync(callId, offererTag, answererTag, sdp, flags.Answer(source: null));
            return Encoding.UTF8.GetBytes(rewritten);
        }
        catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or System.Net.Sockets.SocketException)
        {
            // The callee already answered: forwarding its SDP as is keeps the call up, if without the relay.
            Activity.Current?.AddEvent(new ActivityEvent("rtpengine.answer.failed", tags: new ActivityTagsCollection { ["error"] = ex.Message }));
            logger.LogWarning("RTPEngine {Node} could not answer for call {CallId}: {Reason}", node.Endpoint, callId, ex.Message);
            return null;
        }
    }

    /// <inheritdoc />
    public void Failed(int status)
    {
        // A failed re-INVITE leaves the call, and its media, as they were. A challenge (401/407) is followed by the
        // same INVITE with credentials, whose offer takes up this session again: deleting it would race that offer.
        if (!initial || status is SipStatus.Unauthorized or SipStatus.ProxyAuthenticationRequired) return;
        _ = DeleteAsync();
    }

    private async Task DeleteAsync()
    {
        try
        {
            await node.DeleteAsync(callId, offererTag);
        }
        catch (Exception ex) when (ex is NgTimeoutException or NgErrorException or System.Net.Sockets.SocketException)
        {
            // RTPEngine's own timeout ends a session nobody deletes.
            logger.LogInformation("RTPEngine {Node} did not delete call {CallId}: {Reason}", node.Endpoint, callId, ex.Message);
        }
    }
}
