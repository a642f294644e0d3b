using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent.Diagnostics;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// Runs RTPEngine as a child process for the agent's whole life: starts it with the given arguments, forwards its
/// stderr to the log, starts it again with back-off whenever it dies, and on stop sends SIGTERM and, after
/// <see cref="RtpEngineOptions.StopTimeout"/>, SIGKILL.
/// </summary>
public sealed partial class RtpEngineSupervisor : IAsyncDisposable
{
    private readonly RtpEngineOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly MediaAgentMetrics _metrics;
    private readonly RtpEngineLogForwarder _forwarder;
    private readonly ILogger<RtpEngineSupervisor> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private Task _loop = Task.CompletedTask;
    private volatile RtpEngineProcessState _state = RtpEngineProcessState.NotStarted;
    private int _restarts;

    /// <summary>Creates the supervisor; nothing runs before <see cref="Start"/>.</summary>
    public RtpEngineSupervisor(IOptions<MediaAgentOptions> options, TimeProvider timeProvider, MediaAgentMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value.RtpEngine;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _forwarder = new RtpEngineLogForwarder(loggerFactory.CreateLogger(RtpEngineLogForwarder.Category));
        _logger = loggerFactory.CreateLogger<RtpEngineSupervisor>();
        StartedAt = timeProvider.GetUtcNow();
    }

    /// <summary>Where the process is in its life.</summary>
    public RtpEngineProcessState State => _state;

    /// <summary>The running process's id, or null when none runs (e.g. to kill it in a test, or to find it with <c>ps</c>).</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate) return _state == RtpEngineProcessState.Running ? _process?.Id : null;
        }
    }

    /// <summary>When the current process was started: a ping answered before that came from a process that is gone.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>How often RTPEngine was started again after it died.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The arguments RTPEngine runs with; empty before <see cref="Start"/>.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>Starts RTPEngine and keeps it running until <see cref="StopAsync"/>.</summary>
    public void Start(IReadOnlyList<string> arguments)
    {
        if (_state != RtpEngineProcessState.NotStarted) throw new InvalidOperationException("RTPEngine was already started.");
        Arguments = arguments;
        _loop = Task.Run(() => SuperviseAsync(_stopping.Token));
    }

    /// <summary>SIGTERM, then SIGKILL after <see cref="RtpEngineOptions.StopTimeout"/>; no restart after this.</summary>
    public async Task StopAsync()
    {
        Process? running;
        int processId = 0;
        lock (_gate)
        {
            // Under the lock, so the loop cannot start a new process after this point.
            _stopping.Cancel();
            running = _state == RtpEngineProcessState.Running ? _process : null;
            if (running is not null) processId = running.Id;
        }
        if (running is not null)
        {
            LogStopping(processId, _options.StopTimeout);
            PosixSignals.Terminate(processId);
            try
            {
                await _loop.WaitAsync(_options.StopTimeout, _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogKilling(processId, _options.StopTimeout);
                try
                {
                    running.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited (and was disposed) between the timeout and the kill: nothing left to do.
                }
            }
        }
        await _loop.ConfigureAwait(false);
        _state = RtpEngineProcessState.Stopped;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_state is not (RtpEngineProcessState.NotStarted or RtpEngineProcessState.Stopped)) await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var backoff = new RestartBackoff(_options.RestartDelay, _options.MaxRestartDelay);
        bool missingLogged = false;
        while (true)
        {
            Process? process;
            lock (_gate)
            {
                if (stopping.IsCancellationRequested) return;
                process = TryLaunch();
                _process = process;
                _state = process is null ? RtpEngineProcessState.ExecutableMissing : RtpEngineProcessState.Running;
            }

            TimeSpan delay;
            if (process is null)
            {
                // Said once: the binary will not appear by itself, and the health check keeps saying it meanwhile.
                if (!missingLogged) LogExecutableMissing(_options.Executable);
                missingLogged = true;
                delay = backoff.Next(TimeSpan.Zero);
            }
            else
            {
                int processId = process.Id;
                // Not cancellable: a stop ends the process (SIGTERM, then SIGKILL), and that ends this wait.
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                int exitCode = process.ExitCode;
                TimeSpan uptime = _timeProvider.GetUtcNow() - StartedAt;
                lock (_gate)
                {
                    _process = null;
                    _state = stopping.IsCancellationRequested ? RtpEngineProcessState.Stopped : RtpEngineProcessState.Restarting;
                }
                process.Dispose();
                if (stopping.IsCancellationRequested)
                {
                    LogExited(processId, exitCode);
                    return;
                }
                delay = backoff.Next(uptime);
                LogDied(processId, exitCode, uptime, delay);
            }

            if (!await DelayAsync(delay, stopping).ConfigureAwait(false)) return;
            if (process is not null)
            {
                Interlocked.Increment(ref _restarts);
                _metrics.RecordRestart();
            }
        }
    }

    /// <returns>The started process, or null when the executable cannot be started.</returns>
    private Process? TryLaunch()
    {
        var start = new ProcessStartInfo(_options.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        // RTPEngine logs to stderr (--log-stderr); stdout is forwarded too, so nothing it prints is lost or blocks a pipe.
        process.ErrorDataReceived += (_, e) => _forwarder.Forward(e.Data);
        process.OutputDataReceived += (_, e) => _forwarder.Forward(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            LogLaunchFailed(_options.Executable, ex.Message);
            return null;
        }
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        StartedAt = _timeProvider.GetUtcNow();
        LogStarted(process.Id, _options.Executable, string.Join(' ', Arguments));
        return process;
    }

    /// <returns>False when the agent started stopping during the wait.</returns>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started RTPEngine (PID {ProcessId}): {Executable} {Arguments}")]
    private partial void LogStarted(int processId, string executable, string arguments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not start {Executable}: {Reason}")]
    private partial void LogLaunchFailed(string executable, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTPEngine executable '{Executable}' cannot be started (install the Debian package rtpengine-daemon, or set MediaAgent:RtpEngine:Executable): the media agent reports unhealthy and keeps trying")]
    private partial void LogExecutableMissing(string executable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTPEngine (PID {ProcessId}) exited with code {ExitCode} after {Uptime}; restarting in {Delay}")]
    private partial void LogDied(int processId, int exitCode, TimeSpan uptime, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping RTPEngine (PID {ProcessId}) with SIGTERM; SIGKILL after {Timeout}")]
    private partial void LogStopping(int processId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTPEngine (PID {ProcessId}) did not exit within {Timeout} of SIGTERM: killed")]
    private partial void LogKilling(int processId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTPEngine (PID {ProcessId}) exited with code {ExitCode}")]
    private partial void LogExited(int processId, int exitCode);
}
