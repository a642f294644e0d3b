using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Sip.Hosting;

/// <summary>Runs the proxy core for the lifetime of the host: binds on start, drains the workers on stop.</summary>
internal sealed class SipProxyHostedService(
    IOptions<SipTransportOptions> transportOptions,
    IOptions<SipProxyOptions> proxyOptions,
    IOptions<FloodProtectionOptions> floodOptions,
    ISipRequestRouter router,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService
{
    private SipProxyCore? _core;

    /// <summary>The running core, once started.</summary>
    public SipProxyCore? Core => _core;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        SipTransportOptions options = transportOptions.Value;
        var egress = new EgressPolicy(options.EgressAllowList);
        var transport = new SipTransport(options, egress, loggers);
        var flood = new FloodGuard(floodOptions.Value, time, loggers.CreateLogger<FloodGuard>());
        _core = new SipProxyCore(transport, router, proxyOptions.Value, options.AdvertisedAddress, time, loggers.CreateLogger<SipProxyCore>(), flood);
        loggers.CreateLogger<SipProxyHostedService>().LogInformation("SIP egress allowed to {Networks}", string.Join(", ", egress.AllowedNetworks));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Drains before closing: calls under way end normally (their BYE still passes this hop) while new ones are sent
    /// elsewhere, up to <see cref="SipProxyOptions.DrainTimeout"/> or the host's shutdown timeout.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_core is null) return;
        await _core.DrainAsync(proxyOptions.Value.DrainTimeout, time, cancellationToken);
        await _core.DisposeAsync();
    }
}
