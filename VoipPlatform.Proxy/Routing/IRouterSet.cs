using System.Net;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Proxy.Routing;

/// <summary>The routers the edge sends new requests to, from configuration or from DNS SRV.</summary>
public interface IRouterSet
{
    /// <summary>Where a new request goes: one router, or the routers in the order to try them.</summary>
    ValueTask<RoutingDecision> NextAsync();

    /// <summary>True when a request whose top Via names <paramref name="sentBy"/> and that came from <paramref name="source"/> is a router's.</summary>
    bool Contains(IPEndPoint sentBy, IPAddress source);
}

/// <summary>How the edge fails over between routers.</summary>
internal static class RouterFailover
{
    /// <summary>A router that answers nothing (within the answer timeout) or 503 leaves the call to the next one.</summary>
    public static readonly int[] Statuses = [Sip.Messages.SipStatus.RequestTimeout, Sip.Messages.SipStatus.ServiceUnavailable];

    /// <summary>A plan that tries <paramref name="routers"/> in order.</summary>
    public static ForkPlan Plan(IEnumerable<IPEndPoint> routers, TimeSpan answerTimeout) => Plan(routers.Select(router => new ForkBranch(router)), answerTimeout);

    /// <summary>A plan that tries <paramref name="branches"/> (one router each) in order.</summary>
    public static ForkPlan Plan(IEnumerable<ForkBranch> branches, TimeSpan answerTimeout) =>
        new(branches.Select(branch => new ForkStep([branch], TimeSpan.Zero, Statuses, AnswerTimeout: answerTimeout)).ToArray());
}
