using VoipPlatform.AppLayer.Domains;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.AppLayer.Storage;
using VoipPlatform.AppLayer.Users;

namespace VoipPlatform.AppLayer.Seeding;

/// <summary>What a seed run did: resources it created and resources that already existed (and were left alone).</summary>
public sealed record SeedResult(string Domain, IReadOnlyList<string> Created, IReadOnlyList<string> Existing);

/// <summary>
/// Creates the demo data through the same stores (and so the same transactions) as the API. Idempotent: whatever
/// exists already is left as it is, so a second run changes nothing and never resets a password someone changed.
/// </summary>
public sealed class DemoSeeder(DomainStore domains, UserStore users, NumberStore numbers, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public async Task<SeedResult> SeedAsync(string domain)
    {
        var created = new List<string>();
        var existing = new List<string>();
        void Record(WriteOutcome outcome, string what)
        {
            if (outcome.Succeeded) created.Add(what);
            else if (outcome.Status == WriteStatus.Conflict) existing.Add(what);
            else throw new InvalidOperationException($"Seeding {what} failed: {outcome.Detail}");
        }

        Record(await domains.CreateAsync(new DomainResponse(domain, DemoData.DomainDescription, time.GetUtcNow())), $"domain {domain}");
        foreach (var user in DemoData.Users)
        {
            var stored = new StoredUser(user.User, domain, user.DisplayName, Enabled: true,
                Ha1Digest.Md5(user.User, domain, user.Password), Ha1Digest.Sha256(user.User, domain, user.Password),
                UserDefaults.NoAnswerSeconds, UserDefaults.VoicemailEnabled, UserDefaults.Language);
            Record(await users.CreateAsync(stored), $"user {user.User}");
        }
        foreach (var number in DemoData.Numbers)
        {
            var response = new NumberResponse(number.Number, domain, User: null, number.Application,
                new Dictionary<string, string>(number.Parameters, StringComparer.Ordinal));
            Record(await numbers.CreateAsync(response), $"number {number.Number}");
        }

        logger.LogInformation("Seeded demo domain {Domain}: {Created} created, {Existing} already there", domain, created.Count, existing.Count);
        return new SeedResult(domain, created, existing);
    }
}
