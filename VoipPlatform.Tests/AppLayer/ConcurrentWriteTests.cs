using System.Net.Http.Json;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

/// <summary>
/// Races writers against each other through the API and checks the invariants the transactions exist for: no number
/// or forward ever points at a missing user, and back references match what is stored.
/// </summary>
[Collection(AppLayerCollection.Name)]
public sealed class ConcurrentWriteTests(AppLayerFixture fixture)
{
    private const int Rounds = 25;

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Number_creation_racing_user_deletion_never_leaves_a_dangling_number()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string domain = await fixture.CreateDomainAsync();
            await fixture.CreateUserAsync(domain, "1001");

            await Task.WhenAll(
                Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1001" }),
                Http.DeleteAsync($"/v1/domains/{domain}/users/1001"));

            bool numberExists = await fixture.Redis.KeyExistsAsync($"vp:number:{domain}:5551000");
            bool userExists = await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1001");
            // Exactly one writer wins: either the number exists and its user too, or the user is gone and no number.
            Assert.True(numberExists == userExists, $"round {round}: number {numberExists}, user {userExists}");
            Assert.Equal(numberExists, await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1001:refs", "number:5551000"));
            Assert.Equal(numberExists, await fixture.Redis.SetContainsAsync($"vp:domain:{domain}:numbers", "5551000"));
        }
    }

    [Fact]
    public async Task Concurrent_forward_changes_leave_exactly_the_stored_target_referenced()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string domain = await fixture.CreateDomainAsync();
            foreach (string user in new[] { "1001", "1002", "1003" }) await fixture.CreateUserAsync(domain, user);
            string path = $"/v1/domains/{domain}/users/1001/rule";

            await Task.WhenAll(
                Http.PutAsJsonAsync(path, new { mode = "Forward", forwardTo = "1002" }),
                Http.PutAsJsonAsync(path, new { mode = "Forward", forwardTo = "1003" }),
                Http.DeleteAsync($"/v1/domains/{domain}/users/1003"));

            string? stored = (string?)await fixture.Redis.HashGetAsync($"vp:rule:{domain}:1001", "forwardTo");
            foreach (string target in new[] { "1002", "1003" })
            {
                bool referenced = await fixture.Redis.SetContainsAsync($"vp:user:{domain}:{target}:refs", "forward:1001");
                Assert.True(referenced == (stored == target), $"round {round}: forwardTo {stored}, {target} referenced {referenced}");
            }
            if (stored is not null) Assert.True(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:{stored}"));
        }
    }
}
