using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace VoipPlatform.AppHost.Hosting;

/// <summary>Whether container resources can run, and why (the reason goes into the startup log).</summary>
internal sealed record ContainerRuntimeStatus(bool IsAvailable, string Reason);

/// <summary>
/// Decides whether this AppHost run may use containers. Without a runtime, DCP leaves container
/// resources in <c>RuntimeUnhealthy</c> and anything waiting on them never starts, so we would
/// rather not model them at all and fall back to local executables.
/// </summary>
internal static class ContainerRuntimeProbe
{
    public static async Task<ContainerRuntimeStatus> DetectContainerRuntimeAsync(this IDistributedApplicationBuilder builder)
    {
        // Publishing describes the production topology, which always has a container runtime.
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new(true, "publish mode");
        }

        var options = builder.Configuration.GetSection(ContainerRuntimeOptions.SectionName).Get<ContainerRuntimeOptions>()
            ?? new ContainerRuntimeOptions();

        return options.ContainerRuntime switch
        {
            ContainerRuntimeMode.None => new(false, $"{ContainerRuntimeOptions.SectionName}:ContainerRuntime=none"),
            ContainerRuntimeMode.Docker => new(true, $"{ContainerRuntimeOptions.SectionName}:ContainerRuntime=docker"),
            _ => await ProbeDockerAsync(options.ProbeTimeout),
        };
    }

    private static async Task<ContainerRuntimeStatus> ProbeDockerAsync(TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo("docker")
        {
            ArgumentList = { "info", "--format", "{{.ServerVersion}}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("docker did not start");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return new(false, "docker CLI not found");
        }

        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new(false, $"'docker info' did not answer within {timeout.TotalSeconds:0.#} s");
            }

            if (process.ExitCode == 0)
            {
                return new(true, $"docker server {(await stdout).Trim()}");
            }

            var firstError = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? $"exit code {process.ExitCode}";
            return new(false, $"'docker info' failed: {firstError}");
        }
    }
}
