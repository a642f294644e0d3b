using System.Net;
using System.Net.Http.Json;
using VoipPlatform.AppLayer.Ivr;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

/// <summary>
/// <c>/v1/domains/{domain}/ivr-menus/{menu}</c>: menus stored through the API, and the one-line form the Asterisk
/// dialplan fetches for a call (<c>…/dialplan</c>).
/// </summary>
[Collection(AppLayerCollection.Name)]
public sealed class IvrMenuApiTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_stored_menu_reads_back_and_is_served_to_the_dialplan_as_one_key_value_line()
    {
        string domain = await fixture.CreateDomainAsync();
        using var put = await Http.PutAsJsonAsync($"/v1/domains/{domain}/ivr-menus/main",
            new { prompt = "custom-main-menu", timeoutSeconds = 7, choices = new Dictionary<string, string> { ["2"] = "8100", ["1"] = "1001" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var menu = await Http.GetFromJsonAsync<IvrMenu>($"/v1/domains/{domain}/ivr-menus/main", AppLayerFixture.Json);
        Assert.Equal(("custom-main-menu", 7), (menu!.Prompt, menu.TimeoutSeconds));
        Assert.Equal(new Dictionary<string, string> { ["1"] = "1001", ["2"] = "8100" }, menu.Choices);

        using var form = await Http.GetAsync($"/v1/domains/{domain}/ivr-menus/main/dialplan");
        Assert.Equal("text/plain", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal("prompt=custom-main-menu&choices=12&timeout=7&target1=1001&target2=8100", await form.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_menu_is_404_and_a_deleted_one_is_gone()
    {
        string domain = await fixture.CreateDomainAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/v1/domains/{domain}/ivr-menus/none/dialplan")).StatusCode);

        (await Http.PutAsJsonAsync($"/v1/domains/{domain}/ivr-menus/m", new { prompt = "p", choices = new Dictionary<string, string> { ["0"] = "1001" } })).EnsureSuccessStatusCode();
        Assert.Equal("prompt=p&choices=0&timeout=5&target0=1001", await Http.GetStringAsync($"/v1/domains/{domain}/ivr-menus/m/dialplan"));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/ivr-menus/m")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/v1/domains/{domain}/ivr-menus/m")).StatusCode);
    }

    [Theory]
    [InlineData("""{"choices":{"1":"1001"}}""", "prompt")]
    [InlineData("""{"prompt":"../etc/passwd","choices":{"1":"1001"}}""", "prompt")]
    [InlineData("""{"prompt":"p","choices":{}}""", "choices")]
    [InlineData("""{"prompt":"p","choices":{"#":"1001"}}""", "choices.#")]
    [InlineData("""{"prompt":"p","choices":{"1":"a b"}}""", "choices.1")]
    [InlineData("""{"prompt":"p","timeoutSeconds":0,"choices":{"1":"1001"}}""", "timeoutSeconds")]
    public async Task A_bad_menu_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        string domain = await fixture.CreateDomainAsync();
        using var put = await Http.PutAsync($"/v1/domains/{domain}/ivr-menus/main", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationErrorAsync(put, field);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/v1/domains/{domain}/ivr-menus/main")).StatusCode);
    }

    [Fact]
    public async Task A_menu_of_a_domain_not_served_is_404()
    {
        using var put = await Http.PutAsJsonAsync("/v1/domains/not-served.example/ivr-menus/main",
            new { prompt = "p", choices = new Dictionary<string, string> { ["1"] = "1001" } });

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }
}
