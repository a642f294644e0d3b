using System.Net;
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

        if (client.IsInvite) OnInviteResponse(client, response);
        else OnNonInviteResponse(client, response);
    }

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
                SendProvisional(server, ProxyRewriter.ForwardResponse(response), status);
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
            SendFinal(server, ProxyRewriter.ForwardResponse(response), status);
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
            Settle(client, status, ProxyRewriter.ForwardResponse(response));
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
            if (status > SipStatus.Trying && server is not null) SendProvisional(server, ProxyRewriter.ForwardResponse(response), status);
            return;
        }

        client.State = TransactionState.Completed;
        client.StopTimer(TransactionTimer.Retransmit);
        client.StopTimer(TransactionTimer.Timeout);
        SipTracing.End(ref client.Span, status);
        Schedule(client, TransactionTimer.Linger, Timers.T4); // timer K
        if (status >= 300)
        {
            Settle(client, status, ProxyRewriter.ForwardResponse(response));
        }
        else if (server is not null)
        {
            client.Settled = true;
            server.StopTimer(TransactionTimer.StepTimeout);
            SendFinal(server, ProxyRewriter.ForwardResponse(response), status);
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

        if (server.IsInvite && status >= 300)
        {
            server.State = TransactionState.Completed;
            server.Interval = Timers.T1;
            if (!server.Reliable) Schedule(server, TransactionTimer.Retransmit, Timers.T1); // timer G
            Schedule(server, TransactionTimer.Timeout, Timers.Timeout64T1);  // timer H
        }
        else if (server.State != TransactionState.Accepted)
        {
            // INVITE 2xx: Accepted absorbs INVITE retransmissions (RFC 6026, timer L); non-INVITE: timer J.
            server.State = server.IsInvite ? TransactionState.Accepted : TransactionState.Completed;
            Schedule(server, TransactionTimer.Linger, Timers.Timeout64T1);
        }
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
