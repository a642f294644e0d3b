using System.Net;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

/// <summary>
/// The mailbox directory Asterisk reads through <c>res_config_curl</c>: form-encoded lookups in, <c>key=value&amp;…</c>
/// rows out (what res_config_curl parses), empty for anything that is not a mailbox.
/// </summary>
[Collection(AppLayerCollection.Name)]
public sealed class VoicemailDirectoryTests(AppLayerFixture fixture)
{
    private async Task<string> LookupAsync(string kind, string mailbox, string context)
    {
        using var response = await fixture.Http.PostAsync($"/v1/voicemail/realtime/{kind}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["mailbox"] = mailbox, ["context"] = context }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_user_with_voicemail_is_a_mailbox_in_the_context_of_its_domain_without_a_password()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", settings: new { displayName = "Ada Lovelace", language = "it" });

        string row = await LookupAsync("single", "1001", domain);

        Assert.Equal($"uniqueid={Uri.EscapeDataString($"{domain}/1001")}&context={domain}&mailbox=1001&fullname=Ada%20Lovelace&password=&language=it", row);
        Assert.Equal(row + "\n", await LookupAsync("multi", "1001", domain));
    }

    [Fact]
    public async Task Unknown_users_users_without_voicemail_disabled_users_and_other_domains_are_no_mailbox()
    {
        string domain = await fixture.CreateDomainAsync(), other = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002", settings: new { voicemailEnabled = false });
        await fixture.CreateUserAsync(domain, "1003", settings: new { enabled = false });

        Assert.Equal("", await LookupAsync("single", "1999", domain));
        Assert.Equal("", await LookupAsync("single", "1002", domain));
        Assert.Equal("", await LookupAsync("single", "1003", domain));
        Assert.Equal("", await LookupAsync("single", "1001", other));
        Assert.Equal("", await LookupAsync("single", "../1001", domain));
        Assert.Equal("", await LookupAsync("multi", "1999", domain));
    }

    [Fact]
    public async Task The_column_check_asterisk_makes_at_load_is_answered_0()
    {
        using var response = await fixture.Http.PostAsync("/v1/voicemail/realtime/require",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["uniqueid"] = "uinteger3:11", ["password"] = "char:10" }));

        Assert.Equal("0", await response.Content.ReadAsStringAsync());
    }
}
