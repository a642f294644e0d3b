using System.Globalization;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Requests;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Proxying;

namespace VoipPlatform.Router.Routing;

/// <summary>The router's answer when a dependency (the API, Redis, the application layer) is down: 503 with Retry-After, never a hang.</summary>
internal static class Unavailable
{
    public static RoutingDecision Answer(string reason, RouterOptions options) =>
        RoutingDecision.Respond(SipStatus.ServiceUnavailable, reason, [RetryAfter(options)]);

    /// <summary>How long a caller is told to wait before trying again.</summary>
    public static SipHeader RetryAfter(RouterOptions options) =>
        new(SipHeaderNames.RetryAfter, options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
}
