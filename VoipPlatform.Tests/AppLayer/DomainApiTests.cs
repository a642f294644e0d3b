using System.Net;
using System.Net.Http.Json;
using VoipPlatform.AppLayer.Domains;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class DomainApiTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Domain_round_trip_create_read_update_list_delete()
    {
        string domain = AppLayerFixture.NewDomain();

        var created = await Http.PostAsJsonAsync("/v1/domains", new { name = domain.ToUpperInvariant(), description = "first" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(domain, (await created.Content.ReadFromJsonAsync<DomainResponse>())!.Name); // stored lower-case

        var read = await Http.GetFromJsonAsync<DomainResponse>($"/v1/domains/{domain}");
        Assert.Equal("first", read!.Description);

        var updated = await Http.PutAsJsonAsync($"/v1/domains/{domain}", new { description = "second" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("second", (await Http.GetFromJsonAsync<DomainResponse>($"/v1/domains/{domain}"))!.Description);

        var all = await Http.GetFromJsonAsync<List<DomainResponse>>("/v1/domains");
        Assert.Contains(all!, d => d.Name == domain);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}")).StatusCode);
        await ProblemAssert.StatusAsync(await Http.GetAsync($"/v1/domains/{domain}"), HttpStatusCode.NotFound);
        Assert.Empty(await fixture.KeysOfAsync(domain));
        Assert.False(await fixture.Redis.SetContainsAsync("vp:domains", domain));
    }

    [Fact]
    public async Task Unserved_domain_is_404_problem()
    {
        await ProblemAssert.StatusAsync(await Http.GetAsync($"/v1/domains/{AppLayerFixture.NewDomain()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Duplicate_domain_is_409()
    {
        string domain = await fixture.CreateDomainAsync();
        await ProblemAssert.StatusAsync(await Http.PostAsJsonAsync("/v1/domains", new { name = domain }), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("bad domain")]
    [InlineData("a:b")]
    [InlineData("")]
    public async Task Invalid_domain_name_is_400_naming_name_and_nothing_stored(string name)
    {
        long before = await fixture.Redis.SetLengthAsync("vp:domains");
        await ProblemAssert.ValidationErrorAsync(await Http.PostAsJsonAsync("/v1/domains", new { name }), "name");
        Assert.Equal(before, await fixture.Redis.SetLengthAsync("vp:domains"));
    }

    [Fact]
    public async Task Domain_with_users_cannot_be_deleted()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");

        await ProblemAssert.StatusAsync(await Http.DeleteAsync($"/v1/domains/{domain}"), HttpStatusCode.Conflict);
        Assert.True(await fixture.Redis.KeyExistsAsync($"vp:domain:{domain}"));
    }
}
