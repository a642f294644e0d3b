using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Transactions;
using VoipPlatform.Sip.Writing;

namespace VoipPlatform.Sip.Proxying;

internal sealed partial class ProxyWorker
{
    private void HandleRequest(SipMessage request, IPEndPoint source)
    {
        ViaValue via = request.TopVia;
        if (!via.IsValid)
        {
            Drop("no usable Via"); // nowhere to send an answer
            return;
        }
        var (status, reason) = RequestValidator.Validate(request);
        if (status != 0)
        {
            RespondStateless(request, source, status, reason);
            return;
        }
        if (request.Method is not (SipMethod.Ack or SipMethod.Cancel) && request.Has(HeaderKind.ProxyRequire))
        {
            // This proxy supports no extensions: refuse with the ones it was asked for (RFC 3261 section 16.3 step 4).
            RejectRequiredExtensions(request, source);
            return;
        }

        Span<char> key = stackalloc char[TransactionKeys.MaxLength];
        int keyLength = TransactionKeys.WriteServerKey(request, key);
        if (keyLength > TransactionKeys.MaxLength)
        {
            RespondStateless(request, source, SipStatus.BadRequest, "Transaction identifiers too long");
            return;
        }
        key = key[..keyLength];

        switch (request.Method)
        {
            case SipMethod.Ack:
                HandleAck(request, source, key);
                return;
            case SipMethod.Cancel:
                HandleCancel(request, source, key);
                return;
        }

        if (_serverLookup.TryGetValue(key, out ServerTransaction? existing))
        {
            AbsorbRetransmission(existing);
            return;
        }
        if (request.MaxForwards == 0)
        {
            RespondStateless(request, source, SipStatus.TooManyHops);
            return;
        }
        if (_servers.Count >= _options.MaxTransactionsPerWorker || (IsOverloaded && IsDialogCreating(request)))
        {
            // Shed new work with an explicit answer, after retransmissions were absorbed above and before any
            // state is made, so the backlog shrinks instead of snowballing.
            RejectOverloaded(request, source);
            return;
        }

        var server = new ServerTransaction(key.ToString(), request, ResponseTarget(via, source))
        {
            State = TransactionState.Proceeding,
        };
        _servers.Add(server.Key, server);

        RouteProcessing route = ProcessRoute(request);
        server.Span = SipTracing.StartServerSpan(request, ParentContext(request, route), source);

        if (server.IsInvite)
        {
            // Answer at once so the upstream stops retransmitting while we work (RFC 3261 section 16.2).
            SendProvisional(server, ResponseBuilder.Build(request, SipStatus.Trying), SipStatus.Trying);
        }

        RoutingDecision decision = Decide(request, source, route);
        if (decision.Destination is null)
        {
            SendFinal(server, BuildResponse(request, decision.Status, decision.Reason), decision.Status);
            return;
        }
        ForwardStatefully(server, route, decision.Destination, source);
    }

    private void RejectRequiredExtensions(SipMessage request, IPEndPoint source)
    {
        var unsupported = new SipWriter(128);
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != HeaderKind.ProxyRequire) continue;
            if (unsupported.Length > 0) unsupported.Write(", "u8);
            unsupported.Write(request[header.Value]);
        }
        using OutgoingMessage list = unsupported.Complete();
        SendStateless(request, source, ResponseBuilder.Build(request, SipStatus.BadExtension, default, HeaderNames.Unsupported, list.Bytes));
    }

    private void RejectOverloaded(SipMessage request, IPEndPoint source)
    {
        SipMetrics.OverloadRejected.Add(1);
        Span<byte> seconds = stackalloc byte[11];
        _options.RetryAfterSeconds.TryFormat(seconds, out int length);
        SendStateless(request, source, ResponseBuilder.Build(request, SipStatus.ServiceUnavailable, "Overloaded"u8, HeaderNames.RetryAfter, seconds[..length]));
    }

    private void AbsorbRetransmission(ServerTransaction server)
    {
        SipMetrics.RetransmissionsAbsorbed.Add(1);
        // Proceeding: resend the last provisional; Completed: the final. Accepted (2xx sent): nothing to do,
        // the 2xx is the UAS's to retransmit (RFC 6026).
        if (server.LastSent is { } last && server.State is TransactionState.Proceeding or TransactionState.Completed)
        {
            Send(last, server.Peer);
        }
    }

    private RoutingDecision Decide(SipMessage request, IPEndPoint source, in RouteProcessing route)
    {
        var context = new RoutingContext(!request.ToTag.IsEmpty, route.NextHop, source);
        RoutingDecision decision = _router.Route(request, context);
        if (decision.Destination is { } destination && !_transport.MaySendTo(destination.Address))
        {
            SipMetrics.EgressDenied.Add(1);
            _logger.LogInformation("Refusing to forward {Method} to {Destination}: outside Sip:EgressAllowList",
                System.Text.Encoding.ASCII.GetString(request[request.MethodToken]), destination);
            return RoutingDecision.Reject(SipStatus.Forbidden, "Destination not allowed");
        }
        if (decision.Destination is null && decision.Status < 300)
        {
            return RoutingDecision.Reject(SipStatus.ServerInternalError, "No routing decision");
        }
        return decision;
    }

    private void ForwardStatefully(ServerTransaction server, in RouteProcessing route, IPEndPoint destination, IPEndPoint source)
    {
        SipMessage request = server.Request;
        Span<byte> branch = stackalloc byte[BranchLength];
        NewBranch(branch);

        Span<char> clientKey = stackalloc char[BranchLength];
        TransactionKeys.WriteClientKey(branch, isCancel: false, clientKey);
        var client = new ClientTransaction(clientKey.ToString(), server.IsInvite, destination, server)
        {
            State = TransactionState.Trying,
            Interval = Timers.T1,
        };
        client.Span = SipTracing.StartClientSpan(request, server.Span, destination);

        bool recordRoute = _options.RecordRoute && IsDialogCreating(request);
        client.ReplaceLastSent(BuildForwarded(request, branch, source, route.RemoveTopRoute, client.Span ?? server.Span, recordRoute ? server.Span ?? client.Span : null, recordRoute));

        server.Client = client;
        _clients.Add(client.Key, client);
        // Timers are armed before the send so that they count from the moment the request leaves.
        Schedule(client, TransactionTimer.Retransmit, Timers.T1);          // timer A (INVITE) or E
        Schedule(client, TransactionTimer.Timeout, Timers.Timeout64T1);   // timer B (INVITE) or F
        Send(client.LastSent!, destination);
    }

    /// <summary>
    /// Writes the forwarded copy of a request. <paramref name="hopSpan"/> is the context the next hop continues;
    /// with <paramref name="recordRoute"/>, this hop's Record-Route URI carries <paramref name="callSpan"/>'s context in
    /// its <c>vp-tc</c> parameter, so that the dialog's later requests, which come back with it in their Route, join
    /// the same trace.
    /// </summary>
    private OutgoingMessage BuildForwarded(SipMessage request, ReadOnlySpan<byte> branch, IPEndPoint source, bool removeTopRoute,
        Activity? hopSpan, Activity? callSpan, bool recordRoute)
    {
        Span<byte> traceParent = stackalloc byte[SipTracing.TraceParentLength];
        int traceLength = SipTracing.Format(hopSpan, traceParent);

        Span<byte> recordRouteUri = stackalloc byte[_self.SentBy.Length + 16 + SipTracing.TraceParentLength];
        int recordRouteLength = 0;
        if (recordRoute)
        {
            var uri = new SpanAppender(recordRouteUri);
            uri.Append("sip:"u8);
            uri.Append(_self.SentBy);
            uri.Append(";lr"u8);
            Span<byte> callTrace = stackalloc byte[SipTracing.TraceParentLength];
            int callTraceLength = SipTracing.Format(callSpan, callTrace);
            if (callTraceLength > 0)
            {
                uri.Append((byte)';');
                uri.Append(SipTracing.RouteParameterName);
                uri.Append((byte)'=');
                uri.Append(callTrace[..callTraceLength]);
            }
            recordRouteLength = uri.Length;
        }

        Span<byte> sourceAddress = stackalloc byte[64];
        source.Address.TryFormat(sourceAddress, out int sourceLength);
        return ProxyRewriter.ForwardRequest(request, new ForwardedRequest
        {
            ViaSentBy = _self.SentBy,
            Branch = branch,
            SourceAddress = sourceAddress[..sourceLength],
            SourcePort = source.Port,
            RemoveTopRoute = removeTopRoute,
            RecordRouteUri = recordRouteUri[..recordRouteLength],
            TraceParent = traceParent[..traceLength],
        });
    }

    private ref struct SpanAppender(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Length { get; private set; }

        public void Append(scoped ReadOnlySpan<byte> part)
        {
            part.CopyTo(_destination[Length..]);
            Length += part.Length;
        }

        public void Append(byte b) => _destination[Length++] = b;
    }

    private static bool IsDialogCreating(SipMessage request) =>
        request.ToTag.IsEmpty && request.Method is SipMethod.Invite or SipMethod.Other;

    // ---- ACK -----------------------------------------------------------------------------------------------

    private void HandleAck(SipMessage ack, IPEndPoint source, ReadOnlySpan<char> key)
    {
        if (_serverLookup.TryGetValue(key, out ServerTransaction? server) && server.State is TransactionState.Completed or TransactionState.Confirmed)
        {
            // ACK for a non-2xx final this hop sent: it ends here (RFC 3261 section 17.2.1).
            if (server.State == TransactionState.Completed)
            {
                server.State = TransactionState.Confirmed;
                server.StopTimer(TransactionTimer.Retransmit);
                server.StopTimer(TransactionTimer.Timeout);
                Schedule(server, TransactionTimer.Linger, Timers.T4); // timer I
            }
            return;
        }
        // ACK for a 2xx is its own transaction, relayed without state (RFC 3261 section 16.11).
        ForwardStatelessly(ack, source);
    }

    // ---- CANCEL --------------------------------------------------------------------------------------------

    private void HandleCancel(SipMessage cancel, IPEndPoint source, ReadOnlySpan<char> key)
    {
        if (_serverLookup.TryGetValue(key, out ServerTransaction? retransmitted))
        {
            AbsorbRetransmission(retransmitted);
            return;
        }

        Span<char> inviteKey = stackalloc char[TransactionKeys.MaxLength];
        int inviteKeyLength = TransactionKeys.WriteServerKey(cancel, inviteKey, matchInviteFor: true);
        if (!_serverLookup.TryGetValue(inviteKey[..inviteKeyLength], out ServerTransaction? invite))
        {
            // No state for it: relay it as a stateless proxy would (RFC 3261 section 16.10).
            ForwardStatelessly(cancel, source);
            return;
        }

        var server = new ServerTransaction(key.ToString(), cancel, ResponseTarget(cancel.TopVia, source)) { State = TransactionState.Proceeding };
        _servers.Add(server.Key, server);
        server.Span = SipTracing.StartServerSpan(cancel, invite.Span?.Context ?? ParentContext(cancel, ProcessRoute(cancel)), source);
        SendFinal(server, ResponseBuilder.Build(cancel, SipStatus.Ok), SipStatus.Ok);

        if (invite.HasFinalResponse) return;
        if (invite.Client is { } client)
        {
            if (client.HasProvisional) SendCancel(client);
            else client.CancelPending = true;
        }
        else
        {
            SendFinal(invite, ResponseBuilder.Build(invite.Request, SipStatus.RequestTerminated), SipStatus.RequestTerminated);
        }
    }

    private void SendCancel(ClientTransaction invite)
    {
        if (invite.CancelSent || invite.State is not (TransactionState.Trying or TransactionState.Proceeding)) return;
        invite.CancelSent = true;
        invite.CancelPending = false;

        if (SipParser.TryParse(invite.LastSent!.Bytes, out SipMessage? sent, out _) != SipParseStatus.Ok) return;
        using (sent)
        {
            Span<char> key = stackalloc char[TransactionKeys.MaxLength];
            int keyLength = TransactionKeys.WriteClientKey(sent!.TopVia.Branch, isCancel: true, key);
            var cancel = new ClientTransaction(key[..keyLength].ToString(), isInvite: false, invite.Peer, server: null)
            {
                State = TransactionState.Trying,
                Interval = Timers.T1,
            };
            cancel.ReplaceLastSent(ProxyRewriter.BuildCancel(sent));
            _clients.Add(cancel.Key, cancel);
            Schedule(cancel, TransactionTimer.Retransmit, Timers.T1);
            Schedule(cancel, TransactionTimer.Timeout, Timers.Timeout64T1);
            Send(cancel.LastSent!, cancel.Peer);
        }
    }

    // ---- stateless relay -------------------------------------------------------------------------------------

    private void ForwardStatelessly(SipMessage request, IPEndPoint source)
    {
        if (request.MaxForwards == 0)
        {
            RespondStateless(request, source, SipStatus.TooManyHops);
            return;
        }
        RouteProcessing route = ProcessRoute(request);
        using Activity? span = SipTracing.StartServerSpan(request, ParentContext(request, route), source);
        RoutingDecision decision = Decide(request, source, route);
        if (decision.Destination is null)
        {
            span?.SetTag("sip.status_code", decision.Status);
            RespondStateless(request, source, decision.Status, decision.Reason);
            return;
        }

        // A stateless branch must be the same for every retransmission: derive it from the incoming one.
        Span<byte> branch = stackalloc byte[BranchLength];
        ViaValue.MagicCookie.CopyTo(branch);
        "vs"u8.CopyTo(branch[7..]);
        Fnv1a.WriteHex(Fnv1a.Hash(request.TopVia.Branch, Fnv1a.Hash(request.CallId)), branch[9..]);

        using OutgoingMessage forwarded = BuildForwarded(request, branch, source, route.RemoveTopRoute, span, callSpan: null, recordRoute: false);
        Send(forwarded, decision.Destination);
    }

    // ---- Route processing (RFC 3261 section 16.4) -------------------------------------------------------------

    /// <summary>What the Route header set says: whether the top entry is this hop, and where the next entry points.</summary>
    private readonly ref struct RouteProcessing(bool removeTopRoute, IPEndPoint? nextHop, ReadOnlySpan<byte> ownEntryTrace)
    {
        public bool RemoveTopRoute { get; } = removeTopRoute;
        public IPEndPoint? NextHop { get; } = nextHop;
        public ReadOnlySpan<byte> OwnEntryTrace { get; } = ownEntryTrace;
    }

    private RouteProcessing ProcessRoute(SipMessage request)
    {
        ReadOnlySpan<HeaderField> headers = request.Headers;
        bool removeTop = false;
        ReadOnlySpan<byte> ownTrace = default;
        int seen = 0;
        for (int i = 0; i < headers.Length; i++)
        {
            if (headers[i].Kind != HeaderKind.Route) continue;
            ReadOnlySpan<byte> value = request[headers[i].Value];
            while (!value.IsEmpty)
            {
                int length = SipSyntax.FirstListElementLength(value);
                SipUri uri = SipUri.Parse(NameAddress.Parse(value[..length]).Uri);
                value = length < value.Length ? value[(length + 1)..] : default;
                if (seen++ == 0 && _self.IsSelf(uri))
                {
                    removeTop = true;
                    ownTrace = uri.Parameter(SipTracing.RouteParameterName);
                    continue;
                }
                // The next Route entry is where a loose-routed request goes.
                IPEndPoint? next = null;
                if (uri.IsValid) SipTargets.TryResolve(uri.Host, uri.Port, out next);
                return new RouteProcessing(removeTop, next, ownTrace);
            }
        }
        return new RouteProcessing(removeTop, null, ownTrace);
    }

    /// <summary>
    /// The parent of a request's span: the previous hop's context from the trace header, else the INVITE's context
    /// from this hop's own Record-Route entry, else the context derived from the Call-ID — so every request of a
    /// call lands in one trace, whether or not the UA honours Record-Route.
    /// </summary>
    private static ActivityContext ParentContext(SipMessage request, in RouteProcessing route)
    {
        ActivityContext fromHeader = SipTracing.Parse(request.FirstValue(HeaderKind.TraceParent));
        if (fromHeader != default) return fromHeader;
        ActivityContext fromRoute = SipTracing.Parse(route.OwnEntryTrace);
        return fromRoute != default ? fromRoute : SipTracing.FromCallId(request.CallId);
    }

    private void Drop(string reason)
    {
        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _logger.LogDebug("Dropped a SIP request: {Reason}", reason);
    }
}
