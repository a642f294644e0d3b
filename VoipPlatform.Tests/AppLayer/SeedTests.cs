using System.Net.Http.Json;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.AppLayer.Seeding;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Contracts.Users;
using VoipPlatform.Sip.Authentication;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class SeedTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Seed_is_idempotent_and_leaves_changed_data_alone()
    {
        const string domain = AppLayerFixture.SeedDomain; // configured as AppLayer:SeedDomain by the fixture
        var first = await (await Http.PostAsync("/v1/admin/seed", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<SeedResult>();
        Assert.Equal(domain, first!.Domain);
        var keysAfterFirst = await fixture.KeysOfAsync(domain);

        (await Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { password = "changed-by-alice" })).EnsureSuccessStatusCode();
        var second = await (await Http.PostAsync("/v1/admin/seed", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<SeedResult>();

        Assert.Empty(second!.Created);
        Assert.Equal(first.Created.Order(), second.Existing.Order());
        Assert.Equal(keysAfterFirst, await fixture.KeysOfAsync(domain));
        var credentials = await Http.GetFromJsonAsync<UserCredentials>($"/v1/domains/{domain}/users/1001/credentials");
        Assert.Equal(DigestHash.Ha1("1001", domain, "changed-by-alice", DigestAlgorithm.Md5), credentials!.Ha1Md5);
    }

    [Fact]
    public async Task Seed_creates_the_documented_users_and_numbers_in_the_requested_domain()
    {
        string domain = AppLayerFixture.NewDomain();

        (await Http.PostAsync($"/v1/admin/seed?domain={domain}", null)).EnsureSuccessStatusCode();

        foreach (string user in new[] { "1001", "1002", "1003" })
        {
            var credentials = await Http.GetFromJsonAsync<UserCredentials>($"/v1/domains/{domain}/users/{user}/credentials");
            Assert.Equal(DigestHash.Ha1(user, domain, $"secret{user}", DigestAlgorithm.Sha256), credentials!.Ha1Sha256);
        }
        var numbers = (await Http.GetFromJsonAsync<List<NumberResponse>>($"/v1/domains/{domain}/numbers"))!;
        Assert.Equal(ApplicationNames.VoicemailCheck, numbers.Single(n => n.Number == "8000").Application);
        var conference = numbers.Single(n => n.Number == "8100");
        Assert.Equal(ApplicationNames.Conference, conference.Application);
        Assert.Equal("1", conference.Parameters![ApplicationParameters.Room]);
    }
}
