using System.Net;
using System.Net.Http.Json;
using System.Text;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class NumberApiTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Number_round_trip_user_then_application_then_delete()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");

        var created = await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "+390212345", user = "1001" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1001", (await Http.GetFromJsonAsync<NumberResponse>($"/v1/domains/{domain}/numbers/+390212345"))!.User);
        Assert.True(await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1001:refs", "number:+390212345"));

        var replaced = await Http.PutAsJsonAsync($"/v1/domains/{domain}/numbers/+390212345",
            new { application = "conference", parameters = new Dictionary<string, string> { ["room"] = "7", ["pin"] = "1234" } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var read = await Http.GetFromJsonAsync<NumberResponse>($"/v1/domains/{domain}/numbers/+390212345");
        Assert.Null(read!.User);
        Assert.Equal("conference", read.Application);
        Assert.Equal("7", read.Parameters!["room"]);
        // Repointing released the user: no stale back reference.
        Assert.False(await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1001:refs", "number:+390212345"));

        var list = await Http.GetFromJsonAsync<List<NumberResponse>>($"/v1/domains/{domain}/numbers");
        Assert.Equal(["+390212345"], list!.Select(n => n.Number));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/numbers/+390212345")).StatusCode);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:number:{domain}:+390212345"));
        Assert.False(await fixture.Redis.SetContainsAsync($"vp:domain:{domain}:numbers", "+390212345"));
    }

    [Fact]
    public async Task Number_to_missing_user_is_refused_and_nothing_written()
    {
        string domain = await fixture.CreateDomainAsync();
        var keysBefore = await fixture.KeysOfAsync(domain);

        var response = await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1009" });

        await ProblemAssert.ValidationErrorAsync(response, "user");
        Assert.Equal(keysBefore, await fixture.KeysOfAsync(domain));
    }

    [Fact]
    public async Task Repointing_a_number_to_missing_user_leaves_it_as_it_was()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1001" })).EnsureSuccessStatusCode();

        await ProblemAssert.ValidationErrorAsync(
            await Http.PutAsJsonAsync($"/v1/domains/{domain}/numbers/5551000", new { user = "1009" }), "user");

        Assert.Equal("1001", (await Http.GetFromJsonAsync<NumberResponse>($"/v1/domains/{domain}/numbers/5551000"))!.User);
        Assert.True(await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1001:refs", "number:5551000"));
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1009:refs"));
    }

    [Fact]
    public async Task Deleting_a_user_a_number_points_at_is_409_until_the_number_is_gone()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551000", user = "1001" })).EnsureSuccessStatusCode();

        await ProblemAssert.StatusAsync(await Http.DeleteAsync($"/v1/domains/{domain}/users/1001"), HttpStatusCode.Conflict);
        Assert.True(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1001"));

        (await Http.DeleteAsync($"/v1/domains/{domain}/numbers/5551000")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/users/1001")).StatusCode);
    }

    [Fact]
    public async Task Number_and_user_share_one_dial_plan()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await ProblemAssert.StatusAsync(
            await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "1001", application = "echo" }), HttpStatusCode.Conflict);

        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "8200", application = "echo" })).EnsureSuccessStatusCode();
        await ProblemAssert.StatusAsync(
            await Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "8200", password = "password123" }), HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string> InvalidNumbers => new()
    {
        { """{"user":"1001"}""", "number" },
        { """{"number":"12ab","user":"1001"}""", "number" },
        { """{"number":"5551000"}""", "user" },
        { """{"number":"5551000","user":"1001","application":"echo"}""", "application" },
        { """{"number":"5551000","application":"karaoke"}""", "application" },
        { """{"number":"5551000","application":"conference"}""", "parameters.room" },
        { """{"number":"5551000","application":"conference","parameters":{"room":"1","max-members":"0"}}""", "parameters.max-members" },
        { """{"number":"5551000","application":"conference","parameters":{"room":"1","pin":"12a"}}""", "parameters.pin" },
        { """{"number":"5551000","application":"ivr","parameters":{"menu":"main\r\nX-Evil: 1"}}""", "parameters.menu" },
        { """{"number":"5551000","application":"echo","parameters":{"colour":"red"}}""", "parameters.colour" },
    };

    [Theory]
    [MemberData(nameof(InvalidNumbers))]
    public async Task Invalid_number_is_400_naming_the_field_and_nothing_stored(string json, string field)
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        var keysBefore = await fixture.KeysOfAsync(domain);

        var response = await Http.PostAsync($"/v1/domains/{domain}/numbers", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationErrorAsync(response, field);
        Assert.Equal(keysBefore, await fixture.KeysOfAsync(domain));
    }

    [Fact]
    public async Task Applications_are_listed_with_their_parameters()
    {
        var applications = await Http.GetFromJsonAsync<List<ApplicationSpec>>("/v1/applications");
        var conference = Assert.Single(applications!, a => a.Name == "conference");
        Assert.Equal(["room"], conference.Required);
    }
}
