using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>A real proxy core on a loopback port (UDP and TCP), in the test process, with the routing policy under test.</summary>
public sealed class InProcessHop : IAsyncDisposable
{
    private InProcessHop(SipProxyCore core, SipTransport transport)
    {
        Core = core;
        Transport = transport;
    }

    public SipProxyCore Core { get; }

    /// <summary>The hop's UDP/TCP(/TLS) transport.</summary>
    public SipTransport Transport { get; }

    public IPEndPoint EndPoint => Core.LocalEndPoint;

    public static InProcessHop Start(ISipRequestRouter router, TimeProvider? time = null, int port = 0, SipProxyOptions? options = null,
        FloodProtectionOptions? flood = null, SipTransportOptions? transportOptions = null)
    {
        transportOptions ??= new SipTransportOptions { ListenAddress = "127.0.0.1", Port = port };
        var transport = new SipTransport(transportOptions, new EgressPolicy(transportOptions.EgressAllowList), Loggers);
        var guard = flood is null ? null : new FloodGuard(flood, time ?? TimeProvider.System, Loggers.CreateLogger<FloodGuard>());
        var core = new SipProxyCore(transport, router, options ?? new SipProxyOptions { Workers = 2 }, null, time ?? TimeProvider.System,
            Loggers.CreateLogger<SipProxyCore>(), guard);
        return new InProcessHop(core, transport);
    }

    public ValueTask DisposeAsync() => Core.DisposeAsync();

    /// <summary>Silent by default; set VP_TEST_SIP_LOG=1 to see the core's debug log on the console while debugging a test.</summary>
    private static readonly ILoggerFactory Loggers = Environment.GetEnvironmentVariable("VP_TEST_SIP_LOG") == "1"
        ? LoggerFactory.Create(builder => builder.AddConsole().SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;
}

/// <summary>A routing policy for tests: every request goes to one fixed next hop.</summary>
public sealed class FixedNextHop(IPEndPoint next) : ISipRequestRouter
{
    public ValueTask<RoutingDecision> RouteAsync(VoipPlatform.Sip.Messages.SipMessage request, RoutingContext context) =>
        RoutingDecision.Forward(context.RouteNextHop ?? next);
}

/// <summary>A routing policy for tests: the Route set, else the Request-URI, as a plain forwarding proxy would.</summary>
public sealed class RequestUriNextHop : ISipRequestRouter
{
    public ValueTask<RoutingDecision> RouteAsync(VoipPlatform.Sip.Messages.SipMessage request, RoutingContext context) =>
        RoutingDecision.ByRouteOrRequestUri(request, context);
}

/// <summary>A routing policy for tests: a plain proxy that locates Route and Request-URI hosts by RFC 3263.</summary>
public sealed class LocatingNextHop(VoipPlatform.Sip.Location.SipServerResolver resolver) : ISipRequestRouter
{
    public ValueTask<RoutingDecision> RouteAsync(VoipPlatform.Sip.Messages.SipMessage request, RoutingContext context) =>
        RoutingDecision.ByRouteOrRequestUri(request, context, resolver);
}
