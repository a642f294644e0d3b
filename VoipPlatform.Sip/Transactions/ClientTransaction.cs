using System.Net;

namespace VoipPlatform.Sip.Transactions;

/// <summary>A client transaction (RFC 3261 section 17.1): a request this hop sent and the responses it gets.</summary>
internal sealed class ClientTransaction(string key, bool isInvite, IPEndPoint destination, ServerTransaction? server)
    : Transaction(key, isInvite, destination)
{
    /// <summary>The server transaction whose request this forwards; null for a CANCEL this hop originates.</summary>
    public ServerTransaction? Server { get; } = server;

    /// <summary>True once any provisional response arrived (a CANCEL may be sent only then, RFC 3261 section 9.1).</summary>
    public bool HasProvisional { get; set; }

    /// <summary>Upstream cancelled before a provisional arrived: send CANCEL when one does.</summary>
    public bool CancelPending { get; set; }

    /// <summary>True once this hop sent a CANCEL for the request.</summary>
    public bool CancelSent { get; set; }

    /// <summary>The transport the request went on: over a stream nothing is retransmitted (RFC 3261 section 17.1.1.2).</summary>
    public Transport.SipProtocol Protocol { get; init; }

    /// <summary>The name a TLS server must prove (SNI); null for other transports or an IP literal target.</summary>
    public string? ServerName { get; init; }

    /// <summary>The plan's branch this sends (null for a plain forward): where its alternates come from.</summary>
    public Proxying.ForkBranch? Branch { get; init; }

    /// <summary>Which of <see cref="Branch"/>'s alternates this is; -1 for its first address.</summary>
    public int Alternate { get; init; } = -1;

    /// <summary>Told the status when the branch fails (see <see cref="Proxying.ForkBranch"/>).</summary>
    public Action<int>? OnFailure { get; init; }

    /// <summary>The fork step that started this branch (0 without a plan).</summary>
    public int Step { get; init; }

    /// <summary>True once the branch's outcome was counted into its server transaction's response selection.</summary>
    public bool Settled { get; set; }

    /// <summary>
    /// Responses that arrived while an earlier one waits for its body to be rewritten: handled after it, in order, so
    /// a 200 never overtakes its 183. Null while nothing is pending.
    /// </summary>
    public Queue<(Messages.SipMessage Response, System.Net.IPEndPoint Source)>? HeldResponses { get; set; }
}
