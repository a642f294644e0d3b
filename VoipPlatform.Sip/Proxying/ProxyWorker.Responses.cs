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
    private void HandleResponse(SipMessage response, IPEndPoint source)
    {
        ViaValue via = response.TopVia;
        if (!via.IsValid || !_self.IsSelf(via) || response.Defect is not null)
        {
            Drop(response.Defect ?? "response whose top Via is not this hop");
            return;
        }

        Span<char> key = stackalloc char[TransactionKeys.MaxLength];
        int keyLength = TransactionKeys.WriteClientKey(via.Branch, response.CSeqMethod == SipMethod.Cancel, key);
        if (keyLength > TransactionKeys.MaxLength || !_clientLookup.TryGetValue(key[..keyLength], out ClientTransaction? client))
        {
            // No transaction (e.g. a retransmitted 2xx after it ended): relay statelessly (RFC 3261 section 16.7).
            ForwardResponseStatelessly(response);
            return;
        }

        if (client.HeldResponses is { } held)
        {
            // An earlier response of this transaction is still being rewritten: this one waits its turn.
            held.Enqueue((response.Retain(), source));
            return;
        }
        HandleOrRewrite(client, response);
    }

    /// <summary>Handles a response now, or once its body is rewritten when the transaction's rewriter wants it.</summary>
    /// <returns>False when the rewrite goes on asynchronously (later responses of the transaction must wait).</returns>
    private bool HandleOrRewrite(ClientTransaction client, SipMessage response)
    {
        if (client.Server?.ResponseRewriter is not { } rewriter || !rewriter.Wants(response))
        {
            HandleResponse(client, response, body: null);
            return true;
        }
        ValueTask<byte[]?> pending;
        try
        {
            pending = rewriter.RewriteAsync(response);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The response rewriter failed: the response goes on unchanged");
            HandleResponse(client, response, body: null);
            return true;
        }
        if (pending.IsCompletedSuccessfully)
        {
            HandleResponse(client, response, pending.Result);
            return true;
        }
        client.HeldResponses ??= new();
        _ = DeliverRewrittenAsync(client, response.Retain(), pending);
        return false;
    }

    private async Task DeliverRewrittenAsync(ClientTransaction client, SipMessage response, ValueTask<byte[]?> pending)
    {
        byte[]? body = null;
        try
        {
            body = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The response rewriter failed: the response goes on unchanged");
        }
        try
        {
            await PostAsync(WorkItem.Rewritten(client, response, body)).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            response.Release(); // shutting down
        }
    }

    /// <summary>A rewritten response is back on the worker: handle it, then the responses held behind it, in order.</summary>
    private void OnRewrittenResponse(ClientTransaction client, SipMessage response, byte[]? body)
    {
        HandleResponse(client, response, body);
        Queue<(SipMessage Response, IPEndPoint Source)> held = client.HeldResponses!;
        while (held.TryDequeue(out var next))
        {
            bool done;
            try
            {
                done = HandleOrRewrite(client, next.Response);
            }
            finally
            {
                next.Response.Release();
            }
            if (!done) return; // the next rewrite is under way; the rest keep waiting
        }
        client.HeldResponses = null;
    }

    /// <summary>The body that replaces the one of the response being handled (a media relay's SDP), or null.</summary>
    private byte[]? _rewrittenBody;

    private void HandleResponse(ClientTransaction client, SipMessage response, byte[]? body)
    {
        _rewrittenBody = body;
        try
        {
            if (client.IsInvite) OnInviteResponse(client, response);
            else OnNonInviteResponse(client, response);
        }
        finally
        {
            _rewrittenBody = null;
        }
    }

    /// <summary>The copy of a response this hop sends upstream, with its body rewritten when it was.</summary>
    private OutgoingMessage Relay(SipMessage response) => ProxyRewriter.ForwardResponse(response, _rewrittenBody, _rewrittenBody is not null);

    private void OnInviteResponse(ClientTransaction client, SipMessage response)
    {
        int status = response.StatusCode;
        ServerTransaction? server = client.Server is { State: not TransactionState.Terminated } s ? s : null;

        if (status < 200)
        {
            if (client.State == TransactionState.Trying)
            {
                client.State = TransactionState.Proceeding;
                client.StopTimer(TransactionTimer.Retransmit);
                client.StopTimer(TransactionTimer.Timeout);
            }
            if (client.State != TransactionState.Proceeding) return;
            client.HasProvisional = true;
            Schedule(client, TransactionTimer.ProvisionalTimeout, Timers.TimerC);
            if (client.CancelPending) SendCancel(client);
            if (status > SipStatus.Trying && server is { HasFinalResponse: false } && server.Step == client.Step)
            {
                SendProvisional(server, Relay(response), status);
            }
            return;
        }

        if (status < 300)
        {
            // Every 2xx goes upstream at once, even after a final was sent: the UAC needs it to ACK (RFC 3261 section 16.7 step 5).
            SipTracing.End(ref client.Span, status);
            TerminateClient(client);
            if (server is null)
            {
                ForwardResponseStatelessly(response);
                return;
            }
            bool first = !server.HasFinalResponse;
            client.Settled = true;
            if (first && server.IsInvite && server.Request.ToTag.IsEmpty) _dialogs.Established(server.Request.CallId);
            SendFinal(server, Relay(response), status);
            if (first)
            {
                // The first 2xx wins: the other branches are cancelled (RFC 3261 section 16.7 step 10).
                server.StopTimer(TransactionTimer.StepTimeout);
                CancelBranches(server, unansweredStatus: 0, except: client);
            }
            return;
        }

        if (client.State is TransactionState.Trying or TransactionState.Proceeding)
        {
            // Non-2xx final: this hop ACKs it itself, hop by hop (RFC 3261 section 17.1.1.3).
            if (SipParser.TryParse(client.LastSent!.Bytes, out SipMessage? sent, out _) == SipParseStatus.Ok)
            {
                using (sent) client.ReplaceLastSent(ProxyRewriter.BuildAck(sent!, response));
                Send(client);
            }
            client.State = TransactionState.Completed;
            client.StopTimer(TransactionTimer.Retransmit);
            client.StopTimer(TransactionTimer.Timeout);
            client.StopTimer(TransactionTimer.ProvisionalTimeout);
            SipTracing.End(ref client.Span, status);
            Schedule(client, TransactionTimer.Linger, Timers.TimerD); // timer D
            Settle(client, status, Relay(response));
        }
        else if (client.State == TransactionState.Completed && client.LastSent is not null)
        {
            Send(client); // the final was retransmitted: our ACK was lost
        }
    }

    private void OnNonInviteResponse(ClientTransaction client, SipMessage response)
    {
        if (client.State is not (TransactionState.Trying or TransactionState.Proceeding)) return;
        int status = response.StatusCode;
        ServerTransaction? server = client.Server is { State: not TransactionState.Terminated, HasFinalResponse: false } s && client.Step == s.Step ? s : null;

        if (status < 200)
        {
            client.State = TransactionState.Proceeding;
            client.HasProvisional = true;
            if (status > SipStatus.Trying && server is not null) SendProvisional(server, Relay(response), status);
            return;
        }

        client.State = TransactionState.Completed;
        client.StopTimer(TransactionTimer.Retransmit);
        client.StopTimer(TransactionTimer.Timeout);
        client.DropLastSent(); // timer K only absorbs response retransmissions: the request is never sent again
        SipTracing.End(ref client.Span, status);
        Schedule(client, TransactionTimer.Linger, Timers.T4); // timer K
        if (status >= 300)
        {
            Settle(client, status, Relay(response));
        }
        else if (server is not null)
        {
            client.Settled = true;
            server.StopTimer(TransactionTimer.StepTimeout);
            SendFinal(server, Relay(response), status);
        }
    }

    private void NotifyFailed(IResponseRewriter rewriter, int status)
    {
        try
        {
            rewriter.Failed(status);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The response rewriter failed on a failed transaction");
        }
    }

    private void ForwardResponseStatelessly(SipMessage response)
    {
        if (!TryGetSecondVia(response, out IPEndPoint? next))
        {
            Drop("response with no Via to return it to");
            return;
        }
        using OutgoingMessage forwarded = ProxyRewriter.ForwardResponse(response);
        Send(forwarded, next!);
    }

    /// <summary>The address of the Via after this hop's: received/rport when the previous hop set them.</summary>
    private static bool TryGetSecondVia(SipMessage response, out IPEndPoint? target)
    {
        target = null;
        bool skippedOwn = false;
        foreach (ref readonly HeaderField header in response.Headers)
        {
            if (header.Kind != HeaderKind.Via) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(response[header.Value]))
            {
                if (!skippedOwn)
                {
                    skippedOwn = true;
                    continue;
                }
                ViaValue via = ViaValue.Parse(element);
                if (!via.IsValid) return false;
                ReadOnlySpan<byte> received = via.Received;
                int port = via.Rport != 0 ? via.Rport : via.Port;
                return SipTargets.TryResolve(received.IsEmpty ? via.Host : received, port, out target);
            }
        }
        return false;
    }

    // ---- server side sends -------------------------------------------------------------------------------

    private void SendProvisional(ServerTransaction server, OutgoingMessage response, int status)
    {
        server.ReplaceLastSent(response);
        server.LastStatus = status;
        Send(response, server.Peer);
    }

    private void SendFinal(ServerTransaction server, OutgoingMessage response, int status)
    {
        if (server.HasFinalResponse && !(server.IsInvite && status is >= 200 and < 300))
        {
            response.Dispose();
            return;
        }
        server.ReplaceLastSent(response);
        server.LastStatus = status;
        Send(response, server.Peer);
        SipTracing.End(ref server.Span, status); // the server span covers request to final response
        if (status >= 300 && server.ResponseRewriter is { } rewriter) NotifyFailed(rewriter, status);

        if (server.IsInvite && status >= 300)
        {
            server.State = TransactionState.Completed;
            server.Interval = Timers.T1;
            if (!server.Reliable) Schedule(server, TransactionTimer.Retransmit, Timers.T1); // timer G
            Schedule(server, TransactionTimer.Timeout, Timers.Timeout64T1);  // timer H
        }
        else if (server.AnswersStateless)
        {
            TerminateServer(server); // nothing kept: a retransmission is answered anew (RFC 3261 section 8.2.7)
        }
        else if (!server.IsInvite && server.Branches.TrueForAll(b => b.State is not (TransactionState.Trying or TransactionState.Proceeding)))
        {
            // Completed, with no branch left that could still answer: only its key and final response are kept,
            // to absorb retransmissions until timer J.
            _completed.Add(server.Key, response.Bytes, server.Peer);
            _completedSweep ??= _timers.Start(null, TransactionTimer.Linger, Timers.NonInviteLinger + CompletedSweepSlack);
            TerminateServer(server);
        }
        else if (server.State != TransactionState.Accepted)
        {
            // INVITE 2xx: Accepted absorbs INVITE retransmissions (RFC 6026, timer L); non-INVITE with branches
            // still running (a forked request): the whole transaction waits for timer J.
            server.State = server.IsInvite ? TransactionState.Accepted : TransactionState.Completed;
            Schedule(server, TransactionTimer.Linger, server.IsInvite ? Timers.Timeout64T1 : Timers.NonInviteLinger);
        }
    }

    /// <summary>
    /// How late past timer J the sweep of completed transactions may run: it then ends a batch at a time (about once
    /// a second under load). A retransmission after J is never absorbed, however late the sweep.
    /// </summary>
    private static readonly TimeSpan CompletedSweepSlack = TimeSpan.FromSeconds(1);

    private ITimer? _completedSweep;

    /// <summary>Ends the completed transactions whose timer J ran out and waits for the next.</summary>
    private void SweepCompleted()
    {
        _completed.Expire();
        _completedSweep = _completed.NextExpiry is { } next ? _timers.Start(null, TransactionTimer.Linger, next + CompletedSweepSlack) : null;
    }

    // ---- timers ----------------------------------------------------------------------------------------------

    private void OnServerTimer(ServerTransaction server, TransactionTimer which)
    {
        switch (which)
        {
            case TransactionTimer.Retransmit when server.State == TransactionState.Completed && server.LastSent is { } final:
                server.Interval = Min(server.Interval * 2, Timers.T2);
                Schedule(server, TransactionTimer.Retransmit, server.Interval);
                Send(final, server.Peer);
                break;
            case TransactionTimer.Timeout:   // H: the ACK never came
            case TransactionTimer.Linger:    // I, J, L
                TerminateServer(server);
                break;
            case TransactionTimer.StepTimeout when !server.HasFinalResponse:
                // The step rang long enough: its outcome is 408, whatever the cancelled branches answer.
                server.StepTimedOut = true;
                CancelBranches(server, SipStatus.RequestTimeout);
                break;
        }
    }

    private void OnClientTimer(ClientTransaction client, TransactionTimer which)
    {
        switch (which)
        {
            case TransactionTimer.Retransmit when client.State == TransactionState.Trying
                                               || (!client.IsInvite && client.State == TransactionState.Proceeding):
                client.Interval = client.IsInvite ? client.Interval * 2
                    : client.State == TransactionState.Proceeding ? Timers.T2 : Min(client.Interval * 2, Timers.T2);
                Schedule(client, TransactionTimer.Retransmit, client.Interval);
                Send(client);
                break;
            case TransactionTimer.Timeout:
                // B/F: no final response. Upstream gets 408 (RFC 3261 section 16.8) unless it already has a final.
                SipTracing.End(ref client.Span, SipStatus.RequestTimeout);
                TerminateClient(client);
                Settle(client, SipStatus.RequestTimeout, null);
                break;
            case TransactionTimer.ProvisionalTimeout when client.State == TransactionState.Trying:
                // The next hop never answered at all: give up on it now so the plan can fail over.
                SipTracing.End(ref client.Span, SipStatus.RequestTimeout);
                TerminateClient(client);
                Settle(client, SipStatus.RequestTimeout, null);
                break;
            case TransactionTimer.ProvisionalTimeout when client.IsInvite && client.State == TransactionState.Proceeding:
                // Timer C: cancel the branch, and give it 64*T1 to answer the CANCEL before answering 408 ourselves.
                SendCancel(client);
                Schedule(client, TransactionTimer.Timeout, Timers.Timeout64T1);
                break;
            case TransactionTimer.Linger:
                TerminateClient(client);
                break;
        }
    }

    private void TerminateServer(ServerTransaction server)
    {
        _servers.Remove(server.Key);
        server.Terminate();
    }

    private void TerminateClient(ClientTransaction client)
    {
        _clients.Remove(client.Key);
        client.Terminate();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
