using System.Net;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Proxying;

/// <summary>A routing policy's answer: forward to one destination, fork by a plan, or answer with a final response.</summary>
public readonly record struct RoutingDecision
{
    private RoutingDecision(IPEndPoint? destination, ForkPlan? plan, int status, string? reason, IReadOnlyList<SipHeader>? headers)
    {
        Destination = destination;
        Plan = plan;
        Status = status;
        Reason = reason;
        Headers = headers;
    }

    /// <summary>Where to forward; null when the request is forked by <see cref="Plan"/> or answered.</summary>
    public IPEndPoint? Destination { get; }

    /// <summary>The branches to try; null when forwarding to <see cref="Destination"/> or answering.</summary>
    public ForkPlan? Plan { get; }

    /// <summary>The final status to answer with when neither forwarding nor forking.</summary>
    public int Status { get; }

    /// <summary>Reason phrase for <see cref="Status"/>, or null for the standard one.</summary>
    public string? Reason { get; }

    /// <summary>Headers added to the answer (e.g. WWW-Authenticate, Contact, Retry-After).</summary>
    public IReadOnlyList<SipHeader>? Headers { get; }

    /// <summary>A body to forward in place of the request's own (an SDP offer rewritten by a media relay), or null.</summary>
    public byte[]? Body { get; private init; }

    /// <summary>
    /// A <c>name=value</c> parameter this hop adds to its Record-Route URI, so that the dialog's later requests bring it
    /// back in their Route (which media relay carries the call); null for none.
    /// </summary>
    public string? RecordRouteParameter { get; private init; }

    /// <summary>Sees and may rewrite the responses of the transaction; null for none.</summary>
    public IResponseRewriter? ResponseRewriter { get; private init; }

    /// <summary>
    /// This decision, with the request's body replaced by <paramref name="body"/> (when not null), a Record-Route
    /// parameter and a response rewriter: what a hop that bridges media adds to wherever the request goes.
    /// </summary>
    public RoutingDecision WithMedia(byte[]? body, string? recordRouteParameter, IResponseRewriter? responseRewriter) =>
        this with { Body = body, RecordRouteParameter = recordRouteParameter, ResponseRewriter = responseRewriter };

    /// <summary>Forward the request to <paramref name="destination"/>.</summary>
    public static RoutingDecision Forward(IPEndPoint destination) => new(destination, null, 0, null, null);

    /// <summary>Fork the request: steps in order, the branches of a step in parallel (RFC 3261 section 16.5-16.7).</summary>
    public static RoutingDecision Fork(ForkPlan plan) => new(null, plan, 0, null, null);

    /// <summary>Answer the request with a final response.</summary>
    public static RoutingDecision Reject(int status, string? reason = null) => new(null, null, status, reason, null);

    /// <summary>Answer the request with a final response carrying <paramref name="headers"/> (a 2xx is allowed: a registrar's 200).</summary>
    public static RoutingDecision Respond(int status, string? reason, IReadOnlyList<SipHeader> headers) => new(null, null, status, reason, headers);

    /// <summary>
    /// What a plain proxy does (RFC 3261 section 16.5): the next Route entry when there is one, else the Request-URI's
    /// host and port; 404 when that names no usable address (IP literals and <c>localhost</c> only, for now).
    /// </summary>
    public static RoutingDecision ByRouteOrRequestUri(SipMessage request, in RoutingContext context)
    {
        if (context.RouteNextHop is { } next) return Forward(next);
        return SipTargets.TryResolveUri(request[request.RequestUri], out IPEndPoint? target)
            ? Forward(target!)
            : Reject(SipStatus.NotFound, "Unresolvable Request-URI");
    }

    /// <summary>The decision as a completed task, for routers that decide synchronously.</summary>
    public static implicit operator ValueTask<RoutingDecision>(RoutingDecision decision) => new(decision);
}
