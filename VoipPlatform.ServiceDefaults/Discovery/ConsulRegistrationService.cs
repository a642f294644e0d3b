using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>
/// Lists this service instance in the local Consul agent for as long as it serves, and takes it out first when it
/// stops.
/// </summary>
/// <remarks>
/// <para>Start: nothing blocks. Once every hosted service has started (the listeners are bound), a background loop
/// registers the instance, retrying with back-off while the agent does not answer (it may start after us), then
/// reports the application's own health checks to the instance's TTL check every third of the TTL: an unhealthy
/// instance turns critical and leaves DNS answers. A failed report re-registers (a restarted dev agent has forgotten
/// us; registering again is idempotent).</para>
/// <para>Stop, in the order the host runs it: <see cref="StoppingAsync"/> runs before any hosted service's
/// <c>StopAsync</c> and puts the instance in maintenance, so it leaves DNS answers at once while it still serves.
/// Hosted services stop in reverse registration order, and <c>AddServiceDefaults</c> registers this one before the
/// SIP core, so the SIP core's <c>StopAsync</c> (which drains in-flight calls) finishes before ours
/// deregisters the instance. Failures on the way down are logged, never thrown: the process is leaving anyway, and
/// the check's TTL and <see cref="ConsulServiceOptions.DeregisterCriticalServiceAfter"/> clean up after it.</para>
/// </remarks>
internal sealed partial class ConsulRegistrationService(
    ConsulClient consul,
    HealthCheckService health,
    IOptions<ConsulRegistrationOptions> options,
    ILogger<ConsulRegistrationService> logger) : IHostedLifecycleService, IDisposable
{
    private const string CheckIdPrefix = "service:";

    private readonly ConsulRegistrationOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>
    /// Set once a registration was sent: from then on the agent may list us (even when the answer was lost), so
    /// shutdown takes us out.
    /// </summary>
    private volatile bool _mayBeRegistered;

    private string ServiceId => _options.Service.Id;

    private string CheckId => CheckIdPrefix + ServiceId;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsEnabled)
        {
            LogNotConfigured();
            return Task.CompletedTask;
        }
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (!_mayBeRegistered) return;
        try
        {
            await consul.EnableMaintenanceAsync(ServiceId, _options.Service.MaintenanceReason, cancellationToken).ConfigureAwait(false);
            LogMaintenance(ServiceId);
        }
        catch (Exception ex)
        {
            // Whatever went wrong (agent gone, shutdown timeout), the host must go on stopping.
            LogShutdownStepFailed("maintenance", ServiceId, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_mayBeRegistered) return;
        try
        {
            await consul.DeregisterAsync(ServiceId, cancellationToken).ConfigureAwait(false);
            LogDeregistered(ServiceId);
        }
        catch (Exception ex)
        {
            LogShutdownStepFailed("deregistration", ServiceId, ex.Message);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken stopping)
    {
        var reportInterval = _options.Service.CheckTtl / 3;
        var retryDelay = _options.RetryDelay;
        bool registered = false;
        string? lastStatus = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    lastStatus = await RegisterAsync(stopping).ConfigureAwait(false);
                    registered = true;
                    retryDelay = _options.RetryDelay;
                    LogRegistered(ServiceId, _options.Service.Name, _options.Address!, lastStatus);
                }
                await Task.Delay(reportInterval, stopping).ConfigureAwait(false);
                lastStatus = await ReportHealthAsync(lastStatus, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any failure, not only HTTP ones (the resilience handler's timeout rejects with its own exception):
                // this loop is the instance's only way into Consul and must outlive every failed attempt.
                if (registered)
                {
                    // The agent may have lost us (a dev agent keeps nothing across restarts): register again.
                    LogReportFailed(ServiceId, ex.Message);
                    registered = false;
                    continue;
                }
                LogRegistrationFailed(ServiceId, _options.Address!, ex.Message, retryDelay);
                try
                {
                    await Task.Delay(retryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    /// <returns>The check status registered with: the application's health right now.</returns>
    private async Task<string> RegisterAsync(CancellationToken stopping)
    {
        var (status, output) = await CheckHealthAsync(stopping).ConfigureAwait(false);
        var service = _options.Service;
        var registration = new ConsulServiceRegistration
        {
            Id = service.Id,
            Name = service.Name,
            Address = service.Address,
            Port = service.Port,
            Tags = service.Tags,
            Meta = service.Meta,
            Weights = new ConsulWeights(service.Weights.Passing, service.Weights.Warning),
            Check = new ConsulTtlCheck
            {
                CheckId = CheckId,
                Name = $"{service.Name} health checks",
                Ttl = ConsulDuration.Format(service.CheckTtl),
                DeregisterCriticalServiceAfter = ConsulDuration.Format(service.DeregisterCriticalServiceAfter),
                Status = status,
                Output = output,
            },
        };
        _mayBeRegistered = true;
        await consul.RegisterAsync(registration, stopping).ConfigureAwait(false);
        return status;
    }

    /// <returns>The status reported.</returns>
    private async Task<string> ReportHealthAsync(string? lastStatus, CancellationToken stopping)
    {
        var (status, output) = await CheckHealthAsync(stopping).ConfigureAwait(false);
        await consul.UpdateCheckAsync(CheckId, new ConsulCheckUpdate(status, output), stopping).ConfigureAwait(false);
        // Transitions only: a report every few seconds would flood the log.
        if (status != lastStatus) LogStatusChanged(ServiceId, status, output);
        return status;
    }

    /// <summary>The same checks <c>/health</c> runs, as a Consul status and a one-line reason.</summary>
    private async Task<(string Status, string Output)> CheckHealthAsync(CancellationToken stopping)
    {
        var report = await health.CheckHealthAsync(stopping).ConfigureAwait(false);
        string status = report.Status switch
        {
            HealthStatus.Healthy => ConsulCheckStatus.Passing,
            HealthStatus.Degraded => ConsulCheckStatus.Warning,
            _ => ConsulCheckStatus.Critical,
        };
        var output = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            output.Append($"; {name}: {entry.Status}");
            if ((entry.Description ?? entry.Exception?.Message) is { } reason) output.Append($" ({reason})");
        }
        return (status, output.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consul not configured: next hops come from configured/Aspire endpoints")]
    private partial void LogNotConfigured();

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {ServiceId} as {ServiceName} with Consul at {Address} ({Status})")]
    private partial void LogRegistered(string serviceId, string serviceName, Uri address, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering {ServiceId} with Consul at {Address} failed: {Reason}; next attempt in {RetryDelay}")]
    private partial void LogRegistrationFailed(string serviceId, Uri address, string reason, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting the health of {ServiceId} to Consul failed: {Reason}; registering again")]
    private partial void LogReportFailed(string serviceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consul check of {ServiceId} is now {Status}: {Output}")]
    private partial void LogStatusChanged(string serviceId, string status, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ServiceId} is in Consul maintenance: it leaves DNS answers while in-flight work finishes")]
    private partial void LogMaintenance(string serviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deregistered {ServiceId} from Consul")]
    private partial void LogDeregistered(string serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consul {Step} of {ServiceId} failed at shutdown: {Reason}")]
    private partial void LogShutdownStepFailed(string step, string serviceId, string reason);
}
