using System.Net.Http.Json;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// Users made through the business-logic API for one test, so tests sharing the platform never see each other's
/// registrations.
/// </summary>
public static class PlatformUsers
{
    /// <summary>A user of the seeded domain with a fresh name, and its password.</summary>
    public static async Task<(string User, string Password)> CreateAsync(PlatformFixture platform)
    {
        string user = $"t{Random.Shared.Next(100_000, 999_999)}";
        string password = $"pw-{Guid.NewGuid():N}";
        using HttpClient api = platform.CreateHttpClient("applayer");
        // The API seeds the demo domain at start in the background; seeding again is idempotent and settles the race.
        using (HttpResponseMessage seeded = await api.PostAsync("/v1/admin/seed", null)) seeded.EnsureSuccessStatusCode();
        using HttpResponseMessage created = await api.PostAsJsonAsync($"/v1/domains/{PlatformFixture.Domain}/users",
            new { user, password, noAnswerSeconds = 10 });
        created.EnsureSuccessStatusCode();
        return (user, password);
    }
}
