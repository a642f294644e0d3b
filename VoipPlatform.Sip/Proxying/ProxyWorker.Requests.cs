using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using VoipPlatform.Sip.Diagnostics;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Transactions;
using VoipPlatform.Sip.Transport;
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

        if (IsFromStrictRouter(request))
        {
            HandleRestored(request, source);
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

        bool inDialog = !request.ToTag.IsEmpty;
        if (inDialog) _dialogs.InDialogRequest(request.Method, request.CallId);

        if (TryAbsorbRetransmission(key)) return;
        if (request.MaxForwards == 0)
        {
            RespondStateless(request, source, SipStatus.TooManyHops);
            return;
        }
        if (LoopDetection.IsLooping(request, _self))
        {
            SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", "loop"));
            RespondStateless(request, source, SipStatus.LoopDetected);
            return;
        }
        RouteProcessing route = ProcessRoute(request, source);
        if (route.Flow != FlowCheck.Usable)
        {
            RespondToFailedFlow(request, source, route.Flow);
            return;
        }
        if (request.Method == SipMethod.Options && !inDialog && route.NextHop is null && IsAddressedToSelf(request))
        {
            // A keep-alive or health probe (a peer's dispatcher, our own prober): answered here, not routed. While
            // draining the answer is 503, so probers take this hop out of rotation.
            RespondStateless(request, source, _drain.IsDraining ? SipStatus.ServiceUnavailable : SipStatus.Ok, _drain.IsDraining ? DrainingReason : null);
            return;
        }
        if (_servers.Count + _completed.Count >= _options.MaxTransactionsPerWorker || (IsOverloaded && IsDialogCreating(request)))
        {
            // Shed new work with an explicit answer, after retransmissions were absorbed above and before any
            // state is made, so the backlog shrinks instead of snowballing.
            SipMetrics.OverloadRejected.Add(1);
            RejectWithRetryAfter(request, source, "Overloaded"u8);
            return;
        }
        if (_drain.IsDraining && !inDialog && !route.RemoveTopRoute)
        {
            // Stopping: calls already up and transactions under way are served to the end, but new work goes to
            // another replica (the previous hop fails over on 503). A request routed here by our own Record-Route
            // or Path belongs to a call that already chose this hop, so it is served.
            RejectWithRetryAfter(request, source, "Draining"u8);
            return;
        }

        var server = new ServerTransaction(key.ToString(), request, source, ResponseTarget(via, source))
        {
            State = TransactionState.Proceeding,
        };
        _servers.Add(server.Key, server);
        server.RemovedRoutes = route.RemovedRoutes;
        server.StrictNextRoute = route.NextIsStrict;
        server.Span = SipTracing.StartServerSpan(request, ParentContext(request, route), source);

        if (server.IsInvite)
        {
            // Answer at once so the upstream stops retransmitting while we work (RFC 3261 section 16.2).
            SendProvisional(server, ResponseBuilder.Build(request, SipStatus.Trying), SipStatus.Trying);
        }

        // The policy runs inside the request's span, so what it calls (the business-logic API over HTTP) joins the
        // call's trace as a child; the async flow keeps that context, the worker drops it right after.
        Activity.Current = server.Span;
        ValueTask<RoutingDecision> decision = AskRouter(request, source, route);
        Activity.Current = null;
        if (decision.IsCompletedSuccessfully) Execute(server, decision.Result);
        else AwaitDecision(server, decision);
    }

    /// <summary>
    /// A strict router upstream sent the request to this hop by putting our Record-Route URI (no user part) into the
    /// Request-URI, with the real Request-URI as the last Route entry (RFC 3261 section 16.4).
    /// </summary>
    private bool IsFromStrictRouter(SipMessage request)
    {
        if (!request.Has(HeaderKind.Route)) return false;
        SipUri uri = SipUri.Parse(request[request.RequestUri]);
        return uri.User.IsEmpty && _self.IsSelf(uri);
    }

    /// <summary>Handles the request as a loose router would have sent it: Request-URI restored from the last Route entry.</summary>
    private void HandleRestored(SipMessage request, IPEndPoint source)
    {
        using OutgoingMessage? restored = StrictRouting.RestoreRequestUri(request);
        if (restored is null || SipParser.TryParse(restored.Bytes, out SipMessage? message, out _) != SipParseStatus.Ok)
        {
            RespondStateless(request, source, SipStatus.BadRequest, "Unusable Route");
            return;
        }
        // Still the flow it came on: Record-Route sides (RFC 5658) and flow tokens depend on it.
        message!.ArrivedOver = request.ArrivedOver;
        try
        {
            HandleRequest(message!, source);
        }
        finally
        {
            message!.Release();
        }
    }

    /// <summary>
    /// The next hop is a strict router (its Route entry has no <c>lr</c>): the forwarded request is put into the form it
    /// expects (RFC 3261 section 16.6 step 6). Rare, so it costs a parse and a rewrite of the message written for a
    /// loose router.
    /// </summary>
    private static OutgoingMessage ToStrictForm(OutgoingMessage forwarded)
    {
        if (SipParser.TryParse(forwarded.Bytes, out SipMessage? parsed, out _) != SipParseStatus.Ok) return forwarded;
        using (parsed)
        {
            OutgoingMessage? strict = StrictRouting.ToStrictForm(parsed!);
            if (strict is null) return forwarded;
            forwarded.Dispose();
            return strict;
        }
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

    private const string DrainingReason = "Draining";

    private void RejectWithRetryAfter(SipMessage request, IPEndPoint source, ReadOnlySpan<byte> reason)
    {
        Span<byte> seconds = stackalloc byte[11];
        _options.RetryAfterSeconds.TryFormat(seconds, out int length);
        SendStateless(request, source, ResponseBuilder.Build(request, SipStatus.ServiceUnavailable, reason, HeaderNames.RetryAfter, seconds[..length]));
    }

    /// <summary>An OPTIONS whose Request-URI names this hop itself, without a user part (RFC 3261 section 11).</summary>
    private bool IsAddressedToSelf(SipMessage request)
    {
        SipUri uri = SipUri.Parse(request[request.RequestUri]);
        return uri.User.IsEmpty && _self.IsSelf(uri);
    }

    /// <summary>Answers a retransmitted request from the state of its transaction; false when it has none.</summary>
    private bool TryAbsorbRetransmission(ReadOnlySpan<char> key)
    {
        if (_serverLookup.TryGetValue(key, out ServerTransaction? server))
        {
            SipMetrics.RetransmissionsAbsorbed.Add(1);
            // Proceeding: resend the last provisional; Completed: the final. Accepted (2xx sent): nothing to do,
            // the 2xx is the UAS's to retransmit (RFC 6026).
            if (server.LastSent is { } last && server.State is TransactionState.Proceeding or TransactionState.Completed)
            {
                Send(last, server.Peer);
            }
            return true;
        }
        if (_completed.TryGet(key, out ReadOnlySpan<byte> final, out IPEndPoint? target))
        {
            SipMetrics.RetransmissionsAbsorbed.Add(1);
            _transport.Send(final, target!);
            return true;
        }
        return false;
    }

    private ValueTask<RoutingDecision> AskRouter(SipMessage request, IPEndPoint source, in RouteProcessing route)
    {
        var context = new RoutingContext(!request.ToTag.IsEmpty, route.NextHop, source, route.RemoveTopRoute, route.NextUri);
        try
        {
            return _router.RouteAsync(request, context);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The routing policy failed");
            return RoutingDecision.Reject(SipStatus.ServerInternalError, "Routing failed");
        }
    }

    /// <summary>
    /// Waits for a decision, then carries it out on the worker. The request is held for the router until then, even
    /// if the transaction ends first (the caller cancelled).
    /// </summary>
    private void AwaitDecision(ServerTransaction server, ValueTask<RoutingDecision> pending)
    {
        server.Request.Retain();
        _ = DeliverDecisionAsync(server, pending);
    }

    private async Task DeliverDecisionAsync(ServerTransaction server, ValueTask<RoutingDecision> pending)
    {
        RoutingDecision decision;
        try
        {
            // Resumes on this worker through its synchronization context, or on the thread pool when the worker's
            // queue was full or closed.
            decision = await pending;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The routing policy failed");
            decision = RoutingDecision.Reject(SipStatus.ServerInternalError, "Routing failed");
        }
        finally
        {
            server.Request.Release();
        }
        if (IsOnWorker)
        {
            Process(WorkItem.Decided(server, decision)); // as if it came through the queue, without the round trip
            return;
        }
        try
        {
            await PostAsync(WorkItem.Decided(server, decision)).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down: the worker terminates the transaction.
        }
    }

    /// <summary>Carries out a routing decision for a server transaction that is still waiting for one.</summary>
    private void Execute(ServerTransaction server, in RoutingDecision decision)
    {
        if (server.State == TransactionState.Terminated || server.HasFinalResponse)
        {
            decision.ResponseRewriter?.Failed(SipStatus.RequestTerminated); // cancelled meanwhile: whatever it set up goes
            return;
        }
        SipMessage request = server.Request;
        server.ForwardBody = decision.Body;
        server.RecordRouteParameter = decision.RecordRouteParameter is { } parameter ? System.Text.Encoding.ASCII.GetBytes(parameter) : null;
        server.ResponseRewriter = decision.ResponseRewriter;
        if (decision.Plan is { Steps.Count: > 0 } plan)
        {
            server.Plan = plan;
            StartStep(server, 0);
            return;
        }
        if (decision.Destination is { } destination)
        {
            if (!MayForwardTo(request, destination))
            {
                SendFinal(server, BuildResponse(request, SipStatus.Forbidden, DestinationNotAllowed), SipStatus.Forbidden);
                return;
            }
            server.PendingBranches = 1;
            StartBranch(server, destination, branch: null);
            return;
        }
        if (decision.Status < 200 || (decision.Status < 300 && decision.Headers is null))
        {
            SendFinal(server, BuildResponse(request, SipStatus.ServerInternalError, "No routing decision"), SipStatus.ServerInternalError);
            return;
        }
        server.AnswersStateless = decision.Stateless && !server.IsInvite;
        OutgoingMessage response = decision.Headers is { } headers
            ? ResponseBuilder.Build(request, decision.Status, decision.Reason is null ? default : System.Text.Encoding.UTF8.GetBytes(decision.Reason), headers)
            : BuildResponse(request, decision.Status, decision.Reason);
        SendFinal(server, response, decision.Status);
    }

    private const string DestinationNotAllowed = "Destination not allowed";

    /// <summary>What forwarding adds at most beyond the extra headers: Via, Record-Route with trace context, trace header.</summary>
    private const int ForwardingOverhead = 400;

    /// <summary>The egress allow-list, applied to every destination a routing policy picks.</summary>
    private bool MayForwardTo(SipMessage request, IPEndPoint destination)
    {
        if (_transport.MaySendTo(destination.Address)) return true;
        SipMetrics.EgressDenied.Add(1);
        _logger.LogInformation("Refusing to forward {Method} to {Destination}: outside Sip:EgressAllowList",
            System.Text.Encoding.ASCII.GetString(request[request.MethodToken]), destination);
        return false;
    }

    // ---- forking (RFC 3261 sections 16.5-16.7) ----------------------------------------------------------------

    private void StartStep(ServerTransaction server, int index)
    {
        server.Step = index;
        server.StepTimedOut = false;
        server.TakeBest()?.Dispose();
        server.PendingBranches = 0;
        ForkStep step = server.Plan!.Steps[index];
        foreach (ForkBranch branch in step.Branches)
        {
            int alternate = NextAllowedAddress(server.Request, branch, -2);
            if (alternate == NoAddress)
            {
                server.OfferFinal(SipStatus.Forbidden, null);
                continue;
            }
            server.PendingBranches++;
            StartStepBranch(server, step, branch, alternate);
        }
        if (server.PendingBranches == 0)
        {
            if (server.BestStatus == 0) server.OfferFinal(step.EmptyStatus, null);
            CompleteStep(server);
            return;
        }
        if (step.Timeout > TimeSpan.Zero) Schedule(server, TransactionTimer.StepTimeout, step.Timeout);
    }

    private void StartStepBranch(ServerTransaction server, ForkStep step, ForkBranch branch, int alternate)
    {
        ClientTransaction client = StartBranch(server, alternate < 0 ? branch.Destination : branch.Alternates[alternate], branch, alternate);
        // Until the first response the provisional slot is free: it times the silence (timer C takes it over later).
        if (step.AnswerTimeout > TimeSpan.Zero && client.IsInvite) Schedule(client, TransactionTimer.ProvisionalTimeout, step.AnswerTimeout);
    }

    private const int NoAddress = int.MinValue;

    /// <summary>
    /// The first of a branch's addresses after <paramref name="after"/> (-2: from the start; -1 is the destination,
    /// 0.. the alternates) that the egress allow-list lets through, or <see cref="NoAddress"/>.
    /// </summary>
    private int NextAllowedAddress(SipMessage request, ForkBranch branch, int after)
    {
        for (int i = after + 1; i < branch.Alternates.Count; i++)
        {
            if (MayForwardTo(request, i < 0 ? branch.Destination : branch.Alternates[i])) return i;
        }
        return NoAddress;
    }

    /// <summary>
    /// RFC 3263 section 4.3: a branch whose address failed with a transport error, silence or 503 goes on to its next
    /// address, in the same step, while the step is still running. True when it did.
    /// </summary>
    private bool TryNextAddress(ClientTransaction client, int status, OutgoingMessage? response)
    {
        if (client.Branch is not { } branch || client.Settled) return false;
        if (branch.OnServerFailure is { } onServerFailure)
        {
            try
            {
                onServerFailure(client.Peer, status);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A server failure callback threw");
            }
        }
        ServerTransaction? server = client.Server;
        if (status is not (SipStatus.RequestTimeout or SipStatus.ServiceUnavailable) || branch.Alternates.Count == 0 || server is null
            || server.State == TransactionState.Terminated || server.HasFinalResponse || server.Cancelled || server.StepTimedOut
            || client.Step != server.Step || server.Plan is not { } plan)
        {
            return false;
        }
        int next = NextAllowedAddress(server.Request, branch, client.Alternate);
        if (next == NoAddress) return false;
        client.Settled = true; // replaced by the next address: its outcome is that one's
        response?.Dispose();
        _logger.LogDebug("{Peer} failed with {Status}: trying {Next}", client.Peer, status, branch.Alternates[next]);
        StartStepBranch(server, plan.Steps[server.Step], branch, next);
        return true;
    }

    /// <summary>Counts a branch's final non-2xx outcome into its step; the step completes with its last branch.</summary>
    private void Settle(ClientTransaction client, int status, OutgoingMessage? response)
    {
        if (TryNextAddress(client, status, response)) return;
        if (!client.Settled && client.OnFailure is { } onFailure)
        {
            try
            {
                onFailure(status);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A branch failure callback threw");
            }
        }
        ServerTransaction? server = client.Server;
        if (client.Settled || server is null || server.State == TransactionState.Terminated || server.HasFinalResponse || client.Step != server.Step)
        {
            client.Settled = true;
            response?.Dispose();
            return;
        }
        client.Settled = true;
        server.OfferFinal(status, response);
        server.PendingBranches--;
        if (status >= 600 && server.PendingBranches > 0)
        {
            // A 6xx ends the step: cancel the rest (RFC 3261 section 16.7 step 5); their outcomes complete it.
            CancelBranches(server, SipStatus.RequestTerminated);
            return;
        }
        if (server.PendingBranches == 0) CompleteStep(server);
    }

    /// <summary>
    /// The step ended without a 2xx: fail over to the next step when the plan says so, else answer the caller with
    /// the step's final status or the best response received.
    /// </summary>
    private void CompleteStep(ServerTransaction server)
    {
        server.StopTimer(TransactionTimer.StepTimeout);
        bool timedOut = server.StepTimedOut && !server.Cancelled;
        int status = timedOut ? SipStatus.RequestTimeout : server.BestStatus;
        if (!server.Cancelled && server.Plan is { } plan)
        {
            ForkStep step = plan.Steps[server.Step];
            if (server.Step + 1 < plan.Steps.Count && step.FailoverOn.Contains(status))
            {
                StartStep(server, server.Step + 1);
                return;
            }
            if (step.FinalStatus is int final)
            {
                server.TakeBest()?.Dispose();
                SendFinal(server, step.FinalHeaders is { } headers
                    ? ResponseBuilder.Build(server.Request, final, step.FinalReason is null ? default : System.Text.Encoding.UTF8.GetBytes(step.FinalReason), headers)
                    : BuildResponse(server.Request, final, step.FinalReason), final);
                return;
            }
        }
        OutgoingMessage? best = server.TakeBest();
        if (best is null || timedOut)
        {
            best?.Dispose();
            // A 403 without a response is the egress allow-list refusing every address: said as for a Forward.
            SendFinal(server, BuildResponse(server.Request, status, status == SipStatus.Forbidden ? DestinationNotAllowed : null), status);
            return;
        }
        SendFinal(server, best, status);
    }

    /// <summary>
    /// Cancels the current step's unsettled branches but <paramref name="except"/>: a CANCEL where a provisional
    /// arrived; elsewhere the CANCEL waits for one (RFC 3261 section 9.1) and the branch is settled at once as
    /// <paramref name="unansweredStatus"/>, so the caller is not kept waiting for a branch that never answered.
    /// </summary>
    private void CancelBranches(ServerTransaction server, int unansweredStatus, ClientTransaction? except = null)
    {
        List<ClientTransaction>? unanswered = null;
        int step = server.Step;
        for (int i = 0; i < server.Branches.Count; i++)
        {
            ClientTransaction client = server.Branches[i];
            if (ReferenceEquals(client, except) || client.Step != step || client.Settled) continue;
            if (client.IsInvite && client.HasProvisional)
            {
                SendCancel(client);
                continue;
            }
            if (client.IsInvite) client.CancelPending = true;
            (unanswered ??= []).Add(client);
        }
        if (unanswered is null || unansweredStatus == 0) return;
        foreach (ClientTransaction client in unanswered) Settle(client, unansweredStatus, null);
    }

    private ClientTransaction StartBranch(ServerTransaction server, IPEndPoint destination, ForkBranch? branch, int alternate = -1)
    {
        SipMessage request = server.Request;
        Span<byte> branchId = stackalloc byte[BranchLength];
        NewBranch(request, branchId);

        Span<char> clientKey = stackalloc char[BranchLength];
        TransactionKeys.WriteClientKey(branchId, isCancel: false, clientKey);
        // Decided before writing, because the Via names it: big requests go over TCP (RFC 3261 section 18.1.1).
        // A sips: or transport=tls target goes over TLS or not at all (RFC 3261 section 26.2).
        SipProtocol protocol = branch?.Transport is SipProtocol required && required != SipProtocol.Udp ? required
            : _transport.ChooseProtocol(destination, request.Length + ForwardingOverhead + (branch?.HeaderLines.Length ?? 0) + (server.ForwardBody?.Length ?? 0), isRequest: true);
        var client = new ClientTransaction(clientKey.ToString(), server.IsInvite, destination, server)
        {
            State = TransactionState.Trying,
            Interval = Timers.T1,
            Step = server.Step,
            Protocol = protocol,
            OnFailure = branch?.OnFailure,
            Branch = branch,
            Alternate = alternate,
            ServerName = protocol == SipProtocol.Tls ? branch?.TlsServerName : null,
        };
        client.Span = SipTracing.StartClientSpan(request, server.Span, destination);

        bool recordRoute = _options.RecordRoute && IsDialogCreating(request);
        OutgoingMessage forwarded = BuildForwarded(request, branchId, server.Source, server.RemovedRoutes, client.Span ?? server.Span,
            recordRoute ? server.Span ?? client.Span : null, recordRoute, destination, branch, protocol, server.ForwardBody, server.RecordRouteParameter);
        // A pre-loaded Route set (a Path) comes first and is the platform's own, loose.
        client.ReplaceLastSent(server.StrictNextRoute && branch?.HasRoute != true ? ToStrictForm(forwarded) : forwarded);

        server.Branches.Add(client);
        _clients.Add(client.Key, client);
        // Timers are armed before the send so that they count from the moment the request leaves.
        if (protocol == SipProtocol.Udp) Schedule(client, TransactionTimer.Retransmit, Timers.T1); // timer A (INVITE) or E
        Schedule(client, TransactionTimer.Timeout, Timers.Timeout64T1);   // timer B (INVITE) or F
        Send(client);
        return client;
    }

    /// <summary>
    /// Writes the forwarded copy of a request. <paramref name="hopSpan"/> is the context the next hop continues;
    /// with <paramref name="recordRoute"/>, this hop's Record-Route URI carries <paramref name="callSpan"/>'s context in
    /// its <c>vp-tc</c> parameter, so that the dialog's later requests, which come back with it in their Route, join
    /// the same trace. A request that changes transport here (or comes from or goes to a WebSocket) gets two
    /// Record-Route entries (RFC 5658), one per side, and a WebSocket side's entry names its connection by a flow
    /// token (RFC 5626), as does the Path of a REGISTER that came over a WebSocket.
    /// </summary>
    private OutgoingMessage BuildForwarded(SipMessage request, ReadOnlySpan<byte> branch, IPEndPoint source, int removedRoutes,
        Activity? hopSpan, Activity? callSpan, bool recordRoute, IPEndPoint destination, ForkBranch? target = null, SipProtocol protocol = SipProtocol.Udp,
        byte[]? body = null, byte[]? recordRouteParameter = null)
    {
        Span<byte> traceParent = stackalloc byte[SipTracing.TraceParentLength];
        int traceLength = SipTracing.Format(hopSpan, traceParent);

        SipProtocol inbound = request.ArrivedOver;
        bool twoEntries = inbound != protocol || SipProtocols.IsWebSocket(inbound) || SipProtocols.IsWebSocket(protocol);
        Span<byte> recordRouteUri = stackalloc byte[recordRoute ? RouteUriCapacity + SipTracing.TraceParentLength + (recordRouteParameter?.Length ?? 0) : 0];
        Span<byte> inboundUri = stackalloc byte[recordRoute && twoEntries ? recordRouteUri.Length : 0];
        int recordRouteLength = 0, inboundLength = 0;
        if (recordRoute)
        {
            Span<byte> callTrace = stackalloc byte[SipTracing.TraceParentLength];
            int callTraceLength = SipTracing.Format(callSpan, callTrace);
            recordRouteLength = twoEntries
                ? WriteRouteUri(recordRouteUri, protocol, destination, recordRouteParameter, callTrace[..callTraceLength])
                : WriteRouteUri(recordRouteUri, SipProtocol.Udp, peer: null, recordRouteParameter, callTrace[..callTraceLength]);
            if (twoEntries) inboundLength = WriteRouteUri(inboundUri, inbound, source, recordRouteParameter, callTrace[..callTraceLength]);
        }
        Span<byte> pathUri = stackalloc byte[RouteUriCapacity];
        int pathLength = _options.AddPath && request.Method == SipMethod.Register
            ? WritePathUri(pathUri, inbound, source, protocol)
            : 0;

        Span<byte> sourceAddress = stackalloc byte[64];
        source.Address.TryFormat(sourceAddress, out int sourceLength);
        return ProxyRewriter.ForwardRequest(request, new ForwardedRequest
        {
            ViaSentBy = _self.SentBy,
            ViaTransport = SipProtocols.ViaToken(protocol),
            Branch = branch,
            SourceAddress = sourceAddress[..sourceLength],
            SourcePort = source.Port,
            RemovedRoutes = removedRoutes,
            RecordRouteUri = recordRouteUri[..recordRouteLength],
            InboundRecordRouteUri = inboundUri[..inboundLength],
            PathUri = pathUri[..pathLength],
            RequestUri = target?.RequestUri,
            HeaderLines = target?.HeaderLines,
            TraceParent = traceParent[..traceLength],
            Body = body,
            ReplaceBody = body is not null,
        });
    }

    /// <summary>Room for one of this hop's Route URIs without its parameters: scheme, flow token, host, port, transport, <c>lr;ob</c>.</summary>
    private int RouteUriCapacity => 4 + FlowTokens.MaxLength + 1 + _self.Host.Length + 6 + 14 + 6 + 2 + SipTracing.RouteParameterName.Length + 1;

    /// <summary>
    /// Writes this hop's URI for the side of <paramref name="protocol"/>: <c>sip:[flow-token@]host:port[;transport=x];lr[;ob]</c>
    /// with the port of that side's listener, a flow token when <paramref name="peer"/> is on a WebSocket (a browser
    /// can only be reached over the connection it opened), then <paramref name="parameter"/> and the call's trace
    /// context. Without <paramref name="peer"/>, the plain URI of a hop that keeps its transport.
    /// </summary>
    private int WriteRouteUri(Span<byte> destination, SipProtocol protocol, IPEndPoint? peer, byte[]? parameter, ReadOnlySpan<byte> callTrace)
    {
        var uri = new SpanAppender(destination);
        uri.Append("sip:"u8);
        bool hasToken = false;
        if (peer is not null && SipProtocols.IsWebSocket(protocol) && _transport.TryGetFlow(peer, protocol, out long flowId))
        {
            uri.Advance(_flowTokens.Write(protocol, peer, flowId, destination[uri.Length..]));
            uri.Append((byte)'@');
            hasToken = true;
        }
        uri.Append(_self.Host);
        uri.Append((byte)':');
        uri.Append(peer is null ? _self.Port : _transport.ListenEndPoint(protocol)?.Port ?? _self.Port);
        if (peer is not null && protocol != SipProtocol.Udp)
        {
            uri.Append(";transport="u8);
            uri.Append(SipProtocols.UriParameter(protocol));
        }
        uri.Append(";lr"u8);
        if (hasToken) uri.Append(";ob"u8);
        if (parameter is not null)
        {
            uri.Append((byte)';');
            uri.Append(parameter);
        }
        if (!callTrace.IsEmpty)
        {
            uri.Append((byte)';');
            uri.Append(SipTracing.RouteParameterName);
            uri.Append((byte)'=');
            uri.Append(callTrace);
        }
        return uri.Length;
    }

    /// <summary>
    /// The Path URI (RFC 3327) for a REGISTER: this hop as the registrar reaches it (the side the REGISTER leaves on),
    /// carrying the flow token of the WebSocket connection it came over (RFC 5626 section 5.1), so that calls for the
    /// user come back to exactly that connection.
    /// </summary>
    private int WritePathUri(Span<byte> destination, SipProtocol inbound, IPEndPoint source, SipProtocol outbound)
    {
        if (!SipProtocols.IsWebSocket(inbound) || !_transport.TryGetFlow(source, inbound, out long flowId))
        {
            _self.PathUri.CopyTo(destination);
            return _self.PathUri.Length;
        }
        var uri = new SpanAppender(destination);
        uri.Append("sip:"u8);
        uri.Advance(_flowTokens.Write(inbound, source, flowId, destination[uri.Length..]));
        uri.Append((byte)'@');
        uri.Append(_self.Host);
        uri.Append((byte)':');
        uri.Append(_transport.ListenEndPoint(outbound)?.Port ?? _self.Port);
        if (outbound != SipProtocol.Udp)
        {
            uri.Append(";transport="u8);
            uri.Append(SipProtocols.UriParameter(outbound));
        }
        uri.Append(";lr;ob"u8);
        return uri.Length;
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

        public void Append(int number)
        {
            number.TryFormat(_destination[Length..], out int written);
            Length += written;
        }

        /// <summary>Counts bytes written straight into the destination after <see cref="Length"/>.</summary>
        public void Advance(int written) => Length += written;
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
        if (TryAbsorbRetransmission(key)) return;

        Span<char> inviteKey = stackalloc char[TransactionKeys.MaxLength];
        int inviteKeyLength = TransactionKeys.WriteServerKey(cancel, inviteKey, matchInviteFor: true);
        if (!_serverLookup.TryGetValue(inviteKey[..inviteKeyLength], out ServerTransaction? invite))
        {
            // No state for it: relay it as a stateless proxy would (RFC 3261 section 16.10).
            ForwardStatelessly(cancel, source);
            return;
        }

        var server = new ServerTransaction(key.ToString(), cancel, source, ResponseTarget(cancel.TopVia, source)) { State = TransactionState.Proceeding };
        _servers.Add(server.Key, server);
        server.Span = SipTracing.StartServerSpan(cancel, invite.Span?.Context ?? ParentContext(cancel, ProcessRoute(cancel, source)), source);
        SendFinal(server, ResponseBuilder.Build(cancel, SipStatus.Ok), SipStatus.Ok);

        if (invite.HasFinalResponse) return;
        invite.Cancelled = true;
        if (invite.Branches.Count == 0)
        {
            // Still deciding: nothing was forwarded, so the answer is ours to give.
            SendFinal(invite, ResponseBuilder.Build(invite.Request, SipStatus.RequestTerminated), SipStatus.RequestTerminated);
            return;
        }
        CancelBranches(invite, SipStatus.RequestTerminated);
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
                Protocol = invite.Protocol, // the CANCEL copies the INVITE's Via, so it takes the same way
                ServerName = invite.ServerName,
            };
            cancel.ReplaceLastSent(ProxyRewriter.BuildCancel(sent));
            _clients.Add(cancel.Key, cancel);
            if (cancel.Protocol == SipProtocol.Udp) Schedule(cancel, TransactionTimer.Retransmit, Timers.T1);
            Schedule(cancel, TransactionTimer.Timeout, Timers.Timeout64T1);
            Send(cancel);
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
        RouteProcessing route = ProcessRoute(request, source);
        if (route.Flow != FlowCheck.Usable)
        {
            RespondToFailedFlow(request, source, route.Flow); // an ACK is dropped: the dialog's other side ends it
            return;
        }
        ActivityContext parent = ParentContext(request, route);
        ValueTask<RoutingDecision> decision = AskRouter(request, source, route);
        if (decision.IsCompletedSuccessfully)
        {
            RelayStatelessly(request, source, route.RemovedRoutes, route.NextIsStrict, parent, decision.Result);
            return;
        }
        request.Retain();
        _ = RelayLaterAsync(request, source, route.RemovedRoutes, route.NextIsStrict, parent, decision);
    }

    /// <summary>A stateless relay keeps nothing on the worker, so a late decision is carried out where it completes.</summary>
    private async Task RelayLaterAsync(SipMessage request, IPEndPoint source, int removedRoutes, bool strictNext, ActivityContext parent,
        ValueTask<RoutingDecision> pending)
    {
        try
        {
            RelayStatelessly(request, source, removedRoutes, strictNext, parent, await pending.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The routing policy failed on a stateless relay");
        }
        finally
        {
            request.Release();
        }
    }

    private void RelayStatelessly(SipMessage request, IPEndPoint source, int removedRoutes, bool strictNext, ActivityContext parent, in RoutingDecision decision)
    {
        using Activity? span = SipTracing.StartServerSpan(request, parent, source);
        // A stateless relay cannot fork or fail over: of a plan it takes the first branch (e.g. the first of the
        // routers the edge would try), as it is.
        ForkBranch? first = decision.Destination is null ? decision.Plan?.Steps.SelectMany(step => step.Branches).FirstOrDefault() : null;
        IPEndPoint? destination = decision.Destination ?? first?.Destination;
        if (destination is null || !MayForwardTo(request, destination))
        {
            int status = destination is not null ? SipStatus.Forbidden
                : decision.Status >= 300 ? decision.Status : SipStatus.ServerInternalError;
            span?.SetTag("sip.status_code", status);
            RespondStateless(request, source, status, destination is null ? decision.Reason : DestinationNotAllowed);
            return;
        }

        // A stateless branch must be the same for every retransmission: derive it from the incoming one.
        Span<byte> branch = stackalloc byte[StatelessBranchLength];
        ViaValue.MagicCookie.CopyTo(branch);
        "vs"u8.CopyTo(branch[7..]);
        Fnv1a.WriteHex(Fnv1a.Hash(request.TopVia.Branch, Fnv1a.Hash(request.CallId)), branch[9..]);

        SipProtocol protocol = first?.Transport is SipProtocol required && required != SipProtocol.Udp ? required
            : _transport.ChooseProtocol(destination, request.Length + ForwardingOverhead, isRequest: true);
        OutgoingMessage loose = BuildForwarded(request, branch, source, removedRoutes, span, callSpan: null, recordRoute: false, destination, protocol: protocol,
            body: decision.Body);
        using OutgoingMessage forwarded = strictNext && first?.HasRoute != true ? ToStrictForm(loose) : loose;
        if (protocol == SipProtocol.Tls && first?.TlsServerName is { } serverName) _transport.Send(forwarded.Bytes, destination, protocol, serverName);
        else _transport.Send(forwarded.Bytes, destination, protocol);
    }

    // ---- Route processing (RFC 3261 section 16.4) -------------------------------------------------------------

    /// <summary>
    /// What the Route header set says: how many leading entries are this hop (two after a transport switch, RFC 5658),
    /// where the next entry points (its URI, and whether it is a strict router), or the flow one of ours names by its
    /// flow token (RFC 5626) and whether that flow can be used.
    /// </summary>
    private readonly ref struct RouteProcessing(int removedRoutes, IPEndPoint? nextHop, ReadOnlySpan<byte> ownEntryTrace, FlowCheck flow,
        ByteRange nextUri = default, bool nextIsStrict = false)
    {
        /// <summary>The next Route entry has no <c>lr</c>: a strict router (RFC 3261 section 16.6 step 6).</summary>
        public bool NextIsStrict { get; } = nextIsStrict;

        public int RemovedRoutes { get; } = removedRoutes;
        public bool RemoveTopRoute => RemovedRoutes > 0;
        public IPEndPoint? NextHop { get; } = nextHop;
        public ReadOnlySpan<byte> OwnEntryTrace { get; } = ownEntryTrace;
        public FlowCheck Flow { get; } = flow;
        public ByteRange NextUri { get; } = nextUri;
    }

    /// <summary>The outcome of a flow token in this hop's Route entries.</summary>
    private enum FlowCheck : byte
    {
        /// <summary>No token, or one naming an open flow (or the flow the request came on).</summary>
        Usable,
        /// <summary>The token does not verify: altered or made up (RFC 5626 section 5.3: 403).</summary>
        Forged,
        /// <summary>The token is ours but its connection closed (RFC 5626 section 5.3: 430 Flow Failed).</summary>
        Gone,
    }

    /// <summary>At most this many leading Route entries are taken as this hop's: the two of a transport switch.</summary>
    private const int MaxOwnRouteEntries = 2;

    private RouteProcessing ProcessRoute(SipMessage request, IPEndPoint source)
    {
        ReadOnlySpan<HeaderField> headers = request.Headers;
        int removed = 0;
        ReadOnlySpan<byte> ownTrace = default;
        IPEndPoint? flowTarget = null;
        FlowCheck flow = FlowCheck.Usable;
        for (int i = 0; i < headers.Length; i++)
        {
            if (headers[i].Kind != HeaderKind.Route) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(request[headers[i].Value]))
            {
                SipUri uri = SipUri.Parse(NameAddress.Parse(element).Uri);
                if (removed < MaxOwnRouteEntries && _self.IsSelf(uri))
                {
                    removed++;
                    if (ownTrace.IsEmpty) ownTrace = uri.Parameter(SipTracing.RouteParameterName);
                    if (!uri.User.IsEmpty && flow == FlowCheck.Usable && flowTarget is null) flow = CheckFlow(uri.User, request, source, out flowTarget);
                    continue;
                }
                // The next Route entry is where a loose-routed request goes, unless one of ours named a flow (the
                // request then goes over that flow, not to the entry): an address at once; a name, or an entry that
                // asks for TLS, is left to the routing policy to locate (RFC 3263).
                if (flowTarget is not null) return new RouteProcessing(removed, flowTarget, ownTrace, flow);
                IPEndPoint? next = null;
                if (uri.IsValid && !uri.IsSecure && !Ascii.EqualsIgnoreCase(uri.Parameter("transport"u8), "tls"u8)) SipTargets.TryResolve(uri.Host, uri.Port, out next);
                ReadOnlySpan<byte> uriText = NameAddress.Parse(element).Uri;
                ByteRange nextUri = request.Bytes.Overlaps(uriText, out int offset) ? new ByteRange(offset, uriText.Length) : default;
                return new RouteProcessing(removed, next, ownTrace, flow, nextUri, uri.IsValid && !uri.IsLooseRouter);
            }
        }
        return new RouteProcessing(removed, flowTarget, ownTrace, flow);
    }

    /// <summary>
    /// Checks the flow token in the user part of one of this hop's Route entries. A request that came over the flow
    /// the token names is going the other way (from the browser): it is routed on by the rest of its Route set.
    /// </summary>
    private FlowCheck CheckFlow(ReadOnlySpan<byte> token, SipMessage request, IPEndPoint source, out IPEndPoint? target)
    {
        target = null;
        if (_flowTokens.Read(token, out SipProtocol protocol, out IPEndPoint? peer, out long flowId) != FlowTokens.Outcome.Valid)
        {
            return FlowCheck.Forged;
        }
        if (protocol == request.ArrivedOver && peer!.Equals(source)) return FlowCheck.Usable;
        if (!_transport.TryGetFlow(peer!, protocol, out long open) || open != flowId) return FlowCheck.Gone;
        target = peer;
        return FlowCheck.Usable;
    }

    private void RespondToFailedFlow(SipMessage request, IPEndPoint source, FlowCheck flow)
    {
        SipMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("reason", flow == FlowCheck.Forged ? "invalid flow token" : "flow failed"));
        if (flow == FlowCheck.Forged) RespondStateless(request, source, SipStatus.Forbidden, "Invalid flow token");
        else RespondStateless(request, source, SipStatus.FlowFailed);
    }

    /// <summary>
    /// The parent of a request's span: the previous hop's context from the trace header, else the INVITE's context
    /// from this hop's own Record-Route entry, else the context derived from the Call-ID — so every request of a
    /// call lands in one trace, whether or not the UA honours Record-Route. Nothing when no span is recorded
    /// (no exporter listens): it is only ever a span's parent.
    /// </summary>
    private static ActivityContext ParentContext(SipMessage request, in RouteProcessing route)
    {
        if (!SipTelemetry.ActivitySource.HasListeners()) return default;
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
