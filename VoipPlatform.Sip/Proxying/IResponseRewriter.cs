using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// Attached by a routing policy to one server transaction (see <see cref="RoutingDecision.WithMedia"/>): sees the
/// responses going upstream and may replace their body, e.g. to answer an SDP offer through a media relay. The core
/// keeps the responses of a client transaction in order while a rewrite is pending.
/// </summary>
public interface IResponseRewriter
{
    /// <summary>True when <paramref name="response"/> must pass through <see cref="RewriteAsync"/> before it goes on.</summary>
    bool Wants(SipMessage response);

    /// <summary>The body to forward instead of the response's own, or null to forward it unchanged.</summary>
    /// <remarks>The response stays valid until the returned task completes.</remarks>
    ValueTask<byte[]?> RewriteAsync(SipMessage response);

    /// <summary>The transaction ended upstream with a failure (<paramref name="status"/> ≥ 300, including a timeout or a CANCEL's 487).</summary>
    void Failed(int status);
}
