using System.Net;
using System.Net.Http.Json;
using VoipPlatform.AppLayer.Rules;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class RuleApiTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Rule_round_trip_default_forward_dnd_delete()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002");
        string path = $"/v1/domains/{domain}/users/1001/rule";

        Assert.Equal(CallRuleMode.Default, (await Http.GetFromJsonAsync<CallRule>(path))!.Mode);

        (await Http.PutAsJsonAsync(path, new { mode = "Forward", forwardTo = "1002" })).EnsureSuccessStatusCode();
        Assert.Equal(new CallRule("1001", domain, CallRuleMode.Forward, "1002"), await Http.GetFromJsonAsync<CallRule>(path));
        Assert.True(await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1002:refs", "forward:1001"));

        (await Http.PutAsJsonAsync(path, new { mode = "DoNotDisturb" })).EnsureSuccessStatusCode();
        Assert.Equal(new CallRule("1001", domain, CallRuleMode.DoNotDisturb, null), await Http.GetFromJsonAsync<CallRule>(path));
        Assert.False(await fixture.Redis.SetContainsAsync($"vp:user:{domain}:1002:refs", "forward:1001"));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync(path)).StatusCode);
        Assert.Equal(CallRuleMode.Default, (await Http.GetFromJsonAsync<CallRule>(path))!.Mode);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:rule:{domain}:1001"));
    }

    [Fact]
    public async Task Rule_for_missing_user_is_404_and_nothing_written()
    {
        string domain = await fixture.CreateDomainAsync();
        var keysBefore = await fixture.KeysOfAsync(domain);

        await ProblemAssert.StatusAsync(
            await Http.PutAsJsonAsync($"/v1/domains/{domain}/users/1009/rule", new { mode = "DoNotDisturb" }), HttpStatusCode.NotFound);

        Assert.Equal(keysBefore, await fixture.KeysOfAsync(domain));
    }

    [Fact]
    public async Task Forward_to_missing_user_is_400_naming_forwardTo_and_the_old_rule_stays()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        string path = $"/v1/domains/{domain}/users/1001/rule";
        (await Http.PutAsJsonAsync(path, new { mode = "DoNotDisturb" })).EnsureSuccessStatusCode();

        await ProblemAssert.ValidationErrorAsync(await Http.PutAsJsonAsync(path, new { mode = "Forward", forwardTo = "1009" }), "forwardTo");

        Assert.Equal(CallRuleMode.DoNotDisturb, (await Http.GetFromJsonAsync<CallRule>(path))!.Mode);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1009:refs"));
    }

    [Fact]
    public async Task Forward_target_cannot_be_deleted_while_forwarded_to_but_the_forwarder_can()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002");
        (await Http.PutAsJsonAsync($"/v1/domains/{domain}/users/1001/rule", new { mode = "Forward", forwardTo = "1002" })).EnsureSuccessStatusCode();

        await ProblemAssert.StatusAsync(await Http.DeleteAsync($"/v1/domains/{domain}/users/1002"), HttpStatusCode.Conflict);

        // Deleting the forwarder takes its rule and its back reference with it; then the target is free.
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/users/1001")).StatusCode);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:rule:{domain}:1001"));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/users/1002")).StatusCode);
        // Nothing of either user is left behind (Redis drops the emptied users set by itself).
        Assert.Equal([$"vp:domain:{domain}"], await fixture.KeysOfAsync(domain));
    }

    [Theory]
    [InlineData("""{"forwardTo":"1002"}""", "mode")]
    [InlineData("""{"mode":"Sometimes"}""", "mode")]
    [InlineData("""{"mode":"Forward"}""", "forwardTo")]
    [InlineData("""{"mode":"Forward","forwardTo":"1001"}""", "forwardTo")]
    [InlineData("""{"mode":"Forward","forwardTo":"sip:bob example.com"}""", "forwardTo")]
    [InlineData("""{"mode":"DoNotDisturb","forwardTo":"1002"}""", "forwardTo")]
    public async Task Invalid_rule_is_400_naming_the_field_and_nothing_stored(string json, string field)
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002");
        var keysBefore = await fixture.KeysOfAsync(domain);

        var response = await Http.PutAsync($"/v1/domains/{domain}/users/1001/rule",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationErrorAsync(response, field);
        Assert.Equal(keysBefore, await fixture.KeysOfAsync(domain));
    }
}
