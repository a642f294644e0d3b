namespace VoipPlatform.AppLayer.Ivr;

/// <summary>
/// An IVR menu of a domain, run by the application layer for numbers whose application is <c>ivr</c>: it plays
/// <see cref="Prompt"/>, reads one digit within <see cref="TimeoutSeconds"/>, and transfers the caller to the user or
/// number <see cref="Choices"/> maps that digit to.
/// </summary>
/// <param name="Menu">The menu id (the <c>menu</c> parameter of an <c>ivr</c> number).</param>
/// <param name="Domain">The domain it belongs to; its targets are users or numbers of that domain.</param>
/// <param name="Prompt">An Asterisk sound name, e.g. <c>custom-main-menu</c>, played in the caller's language.</param>
/// <param name="TimeoutSeconds">How long to wait for the digit.</param>
/// <param name="Choices">Digit (<c>0</c>-<c>9</c>) to target user or number.</param>
public sealed record IvrMenu(string Menu, string Domain, string Prompt, int TimeoutSeconds, IReadOnlyDictionary<string, string> Choices);

/// <summary>Body of <c>PUT /v1/domains/{domain}/ivr-menus/{menu}</c>.</summary>
/// <param name="Prompt">Required.</param>
/// <param name="TimeoutSeconds">1 to 30; 5 when absent.</param>
/// <param name="Choices">Required, at least one.</param>
public sealed record IvrMenuRequest(string? Prompt, int? TimeoutSeconds, Dictionary<string, string>? Choices);
