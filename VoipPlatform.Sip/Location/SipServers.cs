using System.Net;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Location;

/// <summary>
/// Where a SIP URI's request goes, as located by <see cref="SipServerResolver"/> (RFC 3263 section 4): the addresses
/// to try in order, the transport they must be reached on, and the name a TLS server must prove; or, when the name
/// located nothing, the final status to answer instead.
/// </summary>
public sealed class SipServers
{
    internal SipServers(IPEndPoint[] endPoints, SipProtocol? transport, string? serverName, Action<IPEndPoint, int>? onFailure)
    {
        EndPoints = endPoints;
        Transport = transport;
        ServerName = serverName;
        _onFailure = onFailure;
    }

    internal SipServers(int status, string reason)
    {
        EndPoints = [];
        Status = status;
        Reason = reason;
    }

    private readonly Action<IPEndPoint, int>? _onFailure;

    /// <summary>The addresses in the order to try them (RFC 2782 priority and weight, servers held down last); empty when unresolved.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    /// <summary>The transport the URI requires (<c>sips:</c> and <c>transport=tls</c>: TLS, never anything else); null lets the core choose UDP or TCP.</summary>
    public SipProtocol? Transport { get; }

    /// <summary>The host the URI named: the TLS server name (SNI) and the name its certificate must carry (RFC 5922).</summary>
    public string? ServerName { get; }

    /// <summary>The final status when nothing was located (404 for a name without records, 503 when DNS failed); 0 when located.</summary>
    public int Status { get; }

    /// <summary>Reason phrase for <see cref="Status"/>.</summary>
    public string? Reason { get; }

    /// <summary>True when at least one address was located.</summary>
    public bool IsLocated => EndPoints.Count > 0;

    /// <summary>
    /// A fork branch to these servers: the first address, the others as alternates the core fails over to on a
    /// transport error, silence or 503 (RFC 3263 section 4.3), each failed one held down for the next requests.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was located.</exception>
    public ForkBranch ToBranch(string? requestUri = null, IReadOnlyList<string>? route = null, IReadOnlyList<SipHeader>? headers = null)
    {
        if (!IsLocated) throw new InvalidOperationException("No server was located.");
        return new ForkBranch(EndPoints[0], requestUri, route, headers)
        {
            Alternates = EndPoints.Count > 1 ? EndPoints.Skip(1).ToArray() : [],
            Transport = Transport,
            TlsServerName = ServerName,
            OnServerFailure = _onFailure,
        };
    }

    /// <summary>
    /// The routing decision for a request that goes to these servers: a one-branch plan, or the final answer when
    /// nothing was located. With alternates, a silent INVITE moves on to the next server after
    /// <paramref name="answerTimeout"/>; a lone server gets the transaction timers (a UA need not send 100 Trying).
    /// </summary>
    public RoutingDecision ToDecision(TimeSpan answerTimeout) =>
        IsLocated
            ? RoutingDecision.Fork(new ForkPlan([new ForkStep([ToBranch()], TimeSpan.Zero, [],
                AnswerTimeout: EndPoints.Count > 1 ? answerTimeout : TimeSpan.Zero)]))
            : RoutingDecision.Reject(Status, Reason);
}
