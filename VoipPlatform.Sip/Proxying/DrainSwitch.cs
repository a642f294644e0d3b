namespace VoipPlatform.Sip.Proxying;

/// <summary>Shared by a core and its workers: once on, new work is refused (503) while existing calls are served.</summary>
internal sealed class DrainSwitch
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void TurnOn() => _draining = true;
}
