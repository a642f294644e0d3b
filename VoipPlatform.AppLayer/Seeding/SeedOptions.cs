namespace VoipPlatform.AppLayer.Seeding;

/// <summary>
/// Demo data options, section <c>AppLayer</c>: <c>AppLayer:SeedDemoData</c> (default false) seeds at start-up,
/// <c>AppLayer:SeedDomain</c> (default <c>voip.local</c>) names the domain seeded, also by <c>POST /v1/admin/seed</c>.
/// </summary>
public sealed class SeedOptions
{
    public const string SectionName = "AppLayer";

    /// <summary>The default demo domain; a name rather than an address so it survives a change of IP.</summary>
    public const string DefaultDomain = "voip.local";

    /// <summary>Seed the demo data once at start-up (idempotent; existing data is left alone).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>
    /// The demo domain. Set it to the proxy's address (e.g. <c>127.0.0.1</c>) for UAs such as SIPp that put the
    /// proxy's address in the Request-URI and From.
    /// </summary>
    public string SeedDomain { get; set; } = DefaultDomain;
}
