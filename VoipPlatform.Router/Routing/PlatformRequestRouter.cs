using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Location;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Routing;

/// <summary>
/// The routing layer's policy. Requests inside a dialog, ACK and CANCEL follow their Route set or Request-URI at
/// once; REGISTER goes to the registrar; every other request is a new call for <see cref="CallHandler"/>. Nothing
/// is kept in memory between requests: registrations live in Redis, decisions come from the API.
/// </summary>
public sealed class PlatformRequestRouter(RegisterHandler registrar, CallHandler calls, SipServerResolver servers, IOptions<RouterOptions> options,
    ILogger<PlatformRequestRouter> logger) : ISipRequestRouter
{
    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(SipMessage request, RoutingContext context)
    {
        if (context.IsInDialog || request.Method is SipMethod.Ack or SipMethod.Cancel) return RoutingDecision.ByRouteOrRequestUri(request, context, servers);

        RequestFacts facts = RequestFacts.Read(request, context);
        return request.Method == SipMethod.Register
            ? Guarded(registrar.HandleAsync(facts), stateless: options.Value.RegistrarAnswersStateless)
            : Guarded(calls.HandleAsync(facts), stateless: false);
    }

    /// <summary>
    /// Redis down is a service outage, not a bug: 503 with Retry-After rather than 500. A <paramref name="stateless"/>
    /// answer is given as a stateless UAS (<see cref="RouterOptions.RegistrarAnswersStateless"/>).
    /// </summary>
    private async ValueTask<RoutingDecision> Guarded(ValueTask<RoutingDecision> handling, bool stateless)
    {
        RoutingDecision decision;
        try
        {
            decision = await handling;
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Registration store unavailable: {Reason}", ex.Message);
            decision = Unavailable.Answer("Registrar unavailable", options.Value);
        }
        return stateless ? decision.AsStateless() : decision;
    }
}
