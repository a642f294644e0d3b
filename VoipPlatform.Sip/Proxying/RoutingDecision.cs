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
    /// True when the hop answers as a stateless UAS (RFC 3261 section 8.2.7): the transaction ends with its answer
    /// instead of lingering for timer J, and a retransmission of the request is decided and answered anew. Meant for
    /// answers that are safe to give twice, above all digest challenges (the role section 8.2.7 exists for: a flood
    /// of unauthenticated requests then leaves no state). Applies to a final answer of the hop's own to a non-INVITE
    /// request; ignored otherwise.
    /// </summary>
    public bool Stateless { get; private init; }

    /// <summary>This answer, given as a stateless UAS (see <see cref="Stateless"/>).</summary>
    public RoutingDecision AsStateless() => this with { Stateless = true };

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
    /// host and port; 404 when that names no address (IP literals and <c>localhost</c> only: names need the overload with
    /// a <see cref="Location.SipServerResolver"/>).
    /// </summary>
    public static RoutingDecision ByRouteOrRequestUri(SipMessage request, in RoutingContext context)
    {
        if (context.RouteNextHop is { } next) return Forward(next);
        return SipTargets.TryResolveUri(request[request.RequestUri], out IPEndPoint? target)
            ? Forward(target!)
            : Reject(SipStatus.NotFound, "Unresolvable Request-URI");
    }

    /// <summary>
    /// What a plain proxy does, with server location (RFC 3263): the next Route entry when there is one, else the
    /// Request-URI. An address without TLS is forwarded to at once (synchronously, as <see cref="ByRouteOrRequestUri(SipMessage, in RoutingContext)"/>);
    /// a name, <c>sips:</c> or <c>transport=tls</c> goes through <paramref name="resolver"/>: a plan over the servers
    /// found, failing over between them, or 404 when the name locates none and 503 when DNS fails.
    /// </summary>
    public static ValueTask<RoutingDecision> ByRouteOrRequestUri(SipMessage request, in RoutingContext context, Location.SipServerResolver resolver)
    {
        if (context.RouteNextHop is { } next) return Forward(next);
        ReadOnlySpan<byte> uri = context.RouteNextUri.IsEmpty ? request[request.RequestUri] : request[context.RouteNextUri];
        if (!NeedsLocating(uri) && SipTargets.TryResolveUri(uri, out IPEndPoint? target)) return Forward(target!);
        ValueTask<Location.SipServers> located = resolver.ResolveAsync(uri, Location.TargetSelector.KeyHash(request.CallId));
        return located.IsCompletedSuccessfully ? new(located.Result.ToDecision(resolver.AnswerTimeout)) : DecideLaterAsync(located, resolver.AnswerTimeout);
    }

    private static async ValueTask<RoutingDecision> DecideLaterAsync(ValueTask<Location.SipServers> located, TimeSpan answerTimeout) =>
        (await located.ConfigureAwait(false)).ToDecision(answerTimeout);

    /// <summary>True for a URI that must go over TLS: <c>sips:</c> or <c>transport=tls</c>.</summary>
    private static bool NeedsLocating(ReadOnlySpan<byte> uri)
    {
        Parsing.SipUri parsed = Parsing.SipUri.Parse(uri);
        return parsed.IsSecure || System.Text.Ascii.EqualsIgnoreCase(parsed.Parameter("transport"u8), "tls"u8);
    }

    /// <summary>The decision as a completed task, for routers that decide synchronously.</summary>
    public static implicit operator ValueTask<RoutingDecision>(RoutingDecision decision) => new(decision);
}
