using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Writing;

namespace VoipPlatform.Sip.Transactions;

/// <summary>A server transaction (RFC 3261 section 17.2): the request received and the responses sent back.</summary>
internal sealed class ServerTransaction : Transaction
{
    public ServerTransaction(string key, SipMessage request, IPEndPoint source, IPEndPoint responseTarget)
        : base(key, request.Method == SipMethod.Invite, responseTarget)
    {
        _request = request.Retain();
        Source = source;
        Reliable = Transport.SipProtocols.FromViaToken(request.TopVia.Transport) != Transport.SipProtocol.Udp;
    }

    /// <summary>The request came over a stream: responses go back on its flow and are not retransmitted (timer G).</summary>
    public bool Reliable { get; }

    private SipMessage? _request;

    /// <summary>
    /// The request as received (kept for building responses and forwarding it again on fail-over), until the
    /// transaction ends. A completed non-INVITE transaction hands over to <see cref="CompletedTransactions"/>, which
    /// keeps only the final response, so the request's buffer goes back to the pool at once.
    /// </summary>
    public SipMessage Request => _request ?? throw new InvalidOperationException("The request was released when the transaction ended.");

    /// <summary>Where the request came from (written as received/rport into every forwarded copy).</summary>
    public IPEndPoint Source { get; }

    /// <summary>How many leading Route entries named this hop (two after a transport switch, RFC 5658): removed from forwarded copies.</summary>
    public int RemovedRoutes { get; set; }

    /// <summary>The next Route entry is a strict router's: the forwarded request goes in strict-routing form.</summary>
    public bool StrictNextRoute { get; set; }

    /// <summary>The client transactions forwarding this request: one per branch, across all fork steps.</summary>
    public List<ClientTransaction> Branches { get; } = new(1);

    /// <summary>The fork plan being executed; null for a single forward.</summary>
    public ForkPlan? Plan { get; set; }

    /// <summary>The body every branch carries instead of the request's own (a media relay's SDP), or null.</summary>
    public byte[]? ForwardBody { get; set; }

    /// <summary>The <c>name=value</c> added to this hop's Record-Route URI, as ASCII, or null.</summary>
    public byte[]? RecordRouteParameter { get; set; }

    /// <summary>Sees the responses going upstream; null for none.</summary>
    public Proxying.IResponseRewriter? ResponseRewriter { get; set; }

    /// <summary>Index of the current step of <see cref="Plan"/>.</summary>
    public int Step { get; set; }

    /// <summary>Branches of the current step still waiting for a final response.</summary>
    public int PendingBranches { get; set; }

    /// <summary>The current step's timer fired: its outcome is 408 whatever the cancelled branches answer.</summary>
    public bool StepTimedOut { get; set; }

    /// <summary>The caller cancelled: no further step is started.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Status of the best final response of the current step so far (RFC 3261 section 16.7 step 6); 0 when none.</summary>
    public int BestStatus { get; private set; }

    /// <summary>That response, ready to relay; null when the core made the status up (a timeout, an empty step).</summary>
    public OutgoingMessage? BestResponse { get; private set; }

    /// <summary>Status of the last response sent (0 when none).</summary>
    public int LastStatus { get; set; }

    /// <summary>The hop answers this non-INVITE itself as a stateless UAS: the transaction ends with the answer.</summary>
    public bool AnswersStateless { get; set; }

    /// <summary>True once a final response has been sent.</summary>
    public bool HasFinalResponse => LastStatus >= 200;

    /// <summary>Keeps <paramref name="response"/> when it beats the best so far; disposes whichever loses.</summary>
    public void OfferFinal(int status, OutgoingMessage? response)
    {
        if (BestStatus != 0 && Rank(status) >= Rank(BestStatus))
        {
            response?.Dispose();
            return;
        }
        BestResponse?.Dispose();
        BestStatus = status;
        BestResponse = response;
    }

    /// <summary>Hands the best response over (the caller sends and disposes it) and clears the selection.</summary>
    public OutgoingMessage? TakeBest()
    {
        OutgoingMessage? best = BestResponse;
        BestResponse = null;
        BestStatus = 0;
        return best;
    }

    /// <summary>
    /// Lower is better: any 6xx wins, then the lowest class (3xx before 4xx before 5xx); within a class, the first
    /// received stays (RFC 3261 section 16.7 step 6).
    /// </summary>
    private static int Rank(int status) => status >= 600 ? 0 : status / 100;

    public override void Terminate()
    {
        if (State == TransactionState.Terminated) return;
        base.Terminate();
        BestResponse?.Dispose();
        BestResponse = null;
        _request?.Release();
        _request = null;
    }
}
