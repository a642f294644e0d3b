namespace VoipPlatform.AppHost.Hosting;

/// <summary>How the AppHost decides whether containers can run (configuration section <c>VoipPlatform</c>).</summary>
internal sealed class ContainerRuntimeOptions
{
    public const string SectionName = "VoipPlatform";

    /// <summary><c>auto</c> probes <c>docker info</c>; <c>none</c> (tests) and <c>docker</c> skip the probe.</summary>
    public ContainerRuntimeMode ContainerRuntime { get; set; } = ContainerRuntimeMode.Auto;

    /// <summary>Upper bound for the probe: a hung daemon socket must not stall the AppHost start.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

internal enum ContainerRuntimeMode
{
    Auto,
    None,
    Docker,
}
