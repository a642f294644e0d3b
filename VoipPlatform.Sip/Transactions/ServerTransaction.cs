using System.Net;
using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Transactions;

/// <summary>A server transaction (RFC 3261 section 17.2): the request received and the responses sent back.</summary>
internal sealed class ServerTransaction : Transaction
{
    public ServerTransaction(string key, SipMessage request, IPEndPoint responseTarget)
        : base(key, request.Method == SipMethod.Invite, responseTarget)
    {
        Request = request.Retain();
    }

    /// <summary>The request as received (kept for building responses).</summary>
    public SipMessage Request { get; }

    /// <summary>The client transaction forwarding this request, once there is one.</summary>
    public ClientTransaction? Client { get; set; }

    /// <summary>Status of the last response sent (0 when none).</summary>
    public int LastStatus { get; set; }

    /// <summary>True once a final response has been sent.</summary>
    public bool HasFinalResponse => LastStatus >= 200;

    public override void Terminate()
    {
        if (State == TransactionState.Terminated) return;
        base.Terminate();
        Request.Release();
    }
}
