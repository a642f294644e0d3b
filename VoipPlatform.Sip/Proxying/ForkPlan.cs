using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// How a request is forked: <see cref="Steps"/> are tried one after the other; the branches of a step ring in
/// parallel, the first 2xx wins and the others are cancelled (RFC 3261 section 16.7 step 10).
/// </summary>
/// <param name="Steps">At least one step.</param>
public sealed record ForkPlan(IReadOnlyList<ForkStep> Steps);

/// <summary>
/// One step of a <see cref="ForkPlan"/>. The step fails when all its branches ended without a 2xx (status: the best
/// response by RFC 3261 section 16.7 step 6), when <see cref="Timeout"/> passes (408; its branches are cancelled),
/// or at once when it has no branch (<see cref="EmptyStatus"/>). A failure whose status is in
/// <see cref="FailoverOn"/> moves on to the next step; otherwise the caller gets <see cref="FinalStatus"/>, or the
/// best response when that is null.
/// </summary>
/// <param name="Branches">Where to send the request, in parallel.</param>
/// <param name="Timeout">How long the step may ring; <see cref="TimeSpan.Zero"/> for no limit but the transaction timers.</param>
/// <param name="FailoverOn">Failure statuses that move on to the next step.</param>
/// <param name="FinalStatus">Status answered when the step fails and no next step is taken; null forwards the best response.</param>
/// <param name="FinalReason">Reason phrase for <see cref="FinalStatus"/>.</param>
/// <param name="EmptyStatus">The failure status of a step without branches (480: nobody to ring).</param>
/// <param name="AnswerTimeout">
/// How long an INVITE branch may stay silent — no response at all, not even the 100 Trying every stateful hop sends
/// at once — before it counts as 408 and is abandoned: a dead next hop is detected in a second or two instead of
/// Timer B's 32 (Kamailio's <c>fr_timer</c>). Not applied to other methods: a next hop may take its time over a
/// REGISTER without sending anything first (RFC 4320 forbids an early 100), so there Timer F decides.
/// <see cref="TimeSpan.Zero"/> leaves it to the transaction timers.
/// </param>
/// <param name="FinalHeaders">Headers added to the <see cref="FinalStatus"/> answer (e.g. Retry-After with a 503).</param>
public sealed record ForkStep(
    IReadOnlyList<ForkBranch> Branches,
    TimeSpan Timeout,
    IReadOnlyCollection<int> FailoverOn,
    int? FinalStatus = null,
    string? FinalReason = null,
    int EmptyStatus = SipStatus.TemporarilyUnavailable,
    TimeSpan AnswerTimeout = default,
    IReadOnlyList<SipHeader>? FinalHeaders = null);

/// <summary>One branch: a destination, the Request-URI it gets, a pre-loaded Route set and extra headers.</summary>
public sealed class ForkBranch
{
    /// <summary>Creates a branch.</summary>
    /// <param name="destination">Where the request is sent (the first Route entry's address when there is a route).</param>
    /// <param name="requestUri">The new Request-URI (e.g. a registered Contact); null keeps the received one.</param>
    /// <param name="route">URIs written as Route headers ahead of any received ones (e.g. a registration's Path, RFC 3327).</param>
    /// <param name="headers">Headers added to this branch's request.</param>
    /// <param name="onFailure">
    /// Called on the request's worker with the status when the branch ends without a 2xx (408 for silence or a
    /// timeout): lets a next-hop directory hold a failed server down. Must be quick and must not throw.
    /// </param>
    public ForkBranch(IPEndPoint destination, string? requestUri = null, IReadOnlyList<string>? route = null, IReadOnlyList<SipHeader>? headers = null,
        Action<int>? onFailure = null)
    {
        OnFailure = onFailure;
        if (requestUri is not null && requestUri.AsSpan().ContainsAny(" \r\n")) throw new ArgumentException("A Request-URI cannot hold spaces or line breaks.", nameof(requestUri));
        Destination = destination;
        RequestUri = requestUri is null ? null : System.Text.Encoding.UTF8.GetBytes(requestUri);
        var lines = new List<SipHeader>();
        foreach (string uri in route ?? []) lines.Add(new SipHeader(Parsing.HeaderNames.RouteText, $"<{uri}>"));
        lines.AddRange(headers ?? []);
        HeaderLines = SipHeader.ToLines(lines);
        HasRoute = route is { Count: > 0 };
    }

    /// <summary>True when the branch pre-loads a Route set.</summary>
    internal bool HasRoute { get; }

    /// <summary>Where the request is sent.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>
    /// Further addresses of the same server set (the other SRV targets of a name, RFC 3263 section 4.3), tried in turn
    /// within the branch when the previous one fails with a transport error, silence (the step's answer timeout, or the
    /// transaction timeout) or 503. Addresses outside the egress allow-list are skipped.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Alternates { get; init; } = [];

    /// <summary>
    /// The transport the branch must use: <see cref="SipProtocol.Tls"/> for a <c>sips:</c> or
    /// <c>transport=tls</c> target, which never falls back to another; null lets the core choose UDP or TCP.
    /// </summary>
    public SipProtocol? Transport { get; init; }

    /// <summary>The name a TLS server is asked for (SNI) and must prove with its certificate; the address when null.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// Called on the request's worker with the address and the status whenever one of the branch's addresses fails
    /// (so a resolver can hold it down). Must be quick and must not throw.
    /// </summary>
    public Action<IPEndPoint, int>? OnServerFailure { get; init; }

    internal byte[]? RequestUri { get; }

    internal Action<int>? OnFailure { get; }

    internal byte[] HeaderLines { get; }
}
