using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.Diagnostics;
using VoipPlatform.MediaAgent.Drain;
using VoipPlatform.MediaAgent.Kernel;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.MediaAgent.Hosting;

/// <summary>
/// The agent's life in order. Start: decide kernel or userspace forwarding (claiming a table), then launch RTPEngine
/// under supervision. Stop: drain the active sessions, stop RTPEngine, then remove the firewall rule and release the
/// table, so the next relay on the node can claim it.
/// </summary>
/// <remarks>
/// Registered after the service defaults' Consul registration: hosted services stop in reverse order, so this drains
/// while the instance is in maintenance (entered in the registration's <c>StoppingAsync</c>) and before it is
/// deregistered.
/// </remarks>
public sealed partial class MediaAgentService(
    ForwardingSetup forwardingSetup,
    RtpEngineSupervisor supervisor,
    SessionDrain drain,
    MediaAgentMetrics metrics,
    IOptions<MediaAgentOptions> options,
    ILogger<MediaAgentService> logger) : IHostedService
{
    /// <summary>How RTPEngine forwards; null until the agent has started.</summary>
    public ForwardingPlan? Forwarding { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var plan = await forwardingSetup.PrepareAsync(cancellationToken).ConfigureAwait(false);
        Forwarding = plan;
        metrics.RecordForwarding(plan);
        supervisor.Start(RtpEngineArguments.Build(options.Value, plan));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Forwarding is not { } plan) return;
        var outcome = await drain.WaitAsync(cancellationToken).ConfigureAwait(false);
        // From here on, not cancellable: RTPEngine must stop (bounded by its own stop timeout) and the table must be
        // released even when the host's shutdown timeout has passed, or the table stays taken on the node.
        await supervisor.StopAsync().ConfigureAwait(false);
        await forwardingSetup.ReleaseAsync(plan, CancellationToken.None).ConfigureAwait(false);
        LogStopped(outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media agent stopped (drain: {Outcome})")]
    private partial void LogStopped(DrainOutcome outcome);
}
