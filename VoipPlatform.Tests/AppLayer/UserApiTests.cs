using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using VoipPlatform.AppLayer.Users;
using VoipPlatform.Contracts.Users;
using VoipPlatform.Sip.Authentication;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class UserApiTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task User_round_trip_with_defaults_patch_list_delete()
    {
        string domain = await fixture.CreateDomainAsync();

        var created = await Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1001", password = "secret1001" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<UserResponse>();
        Assert.Equal(new UserResponse("1001", domain, "1001", true, 20, true, "en"), user);

        var patched = await Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001",
            new { displayName = "Alice", noAnswerSeconds = 35, voicemailEnabled = false, language = "it" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(new UserResponse("1001", domain, "Alice", true, 35, false, "it"),
            await Http.GetFromJsonAsync<UserResponse>($"/v1/domains/{domain}/users/1001"));

        await fixture.CreateUserAsync(domain, "1002");
        var list = await Http.GetFromJsonAsync<List<UserResponse>>($"/v1/domains/{domain}/users");
        Assert.Equal(["1001", "1002"], list!.Select(u => u.User));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/v1/domains/{domain}/users/1001")).StatusCode);
        await ProblemAssert.StatusAsync(await Http.GetAsync($"/v1/domains/{domain}/users/1001"), HttpStatusCode.NotFound);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1001"));
        Assert.False(await fixture.Redis.SetContainsAsync($"vp:domain:{domain}:users", "1001"));
    }

    [Fact]
    public async Task Credentials_carry_the_HA1s_of_user_realm_password_and_nothing_stores_the_password()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", "Pa55word-x");

        var credentials = await Http.GetFromJsonAsync<UserCredentials>($"/v1/domains/{domain}/users/1001/credentials");

        Assert.Equal(Md5Hex($"1001:{domain}:Pa55word-x"), credentials!.Ha1Md5);
        Assert.Equal(Sha256Hex($"1001:{domain}:Pa55word-x"), credentials.Ha1Sha256);
        Assert.True(credentials.Enabled);
        // The registrar verifies with the SIP core's digest code: both sides must agree on HA1.
        Assert.Equal(DigestHash.Ha1("1001", domain, "Pa55word-x", DigestAlgorithm.Sha256), credentials.Ha1Sha256);
        var stored = await fixture.Redis.HashGetAllAsync($"vp:user:{domain}:1001");
        Assert.DoesNotContain(stored, e => e.Value.ToString().Contains("Pa55word-x"));
    }

    [Fact]
    public async Task Ordinary_reads_never_return_HA1()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", "secret1001");
        string ha1Md5 = Md5Hex($"1001:{domain}:secret1001");
        string ha1Sha256 = Sha256Hex($"1001:{domain}:secret1001");

        foreach (string path in new[] { $"/v1/domains/{domain}/users/1001", $"/v1/domains/{domain}/users" })
        {
            string body = await Http.GetStringAsync(path);
            Assert.Contains("1001", body);
            Assert.DoesNotContain(ha1Md5, body);
            Assert.DoesNotContain(ha1Sha256, body);
            Assert.DoesNotContain("ha1", body, StringComparison.OrdinalIgnoreCase);
        }
        string patched = await (await Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { enabled = false })).Content.ReadAsStringAsync();
        Assert.DoesNotContain("ha1", patched, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_stored_user_formats_without_its_HA1s()
    {
        var user = new StoredUser("1001", "d.test", "Alice", true, "md5-secret-digest", "sha-secret-digest", 20, true, "en");
        Assert.DoesNotContain("secret-digest", user.ToString());
        Assert.Contains("1001", user.ToString());
    }

    [Fact]
    public async Task Changing_the_password_recomputes_both_HA1s()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", "old-password");

        (await Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { password = "new-password" })).EnsureSuccessStatusCode();

        var credentials = await Http.GetFromJsonAsync<UserCredentials>($"/v1/domains/{domain}/users/1001/credentials");
        Assert.Equal(Md5Hex($"1001:{domain}:new-password"), credentials!.Ha1Md5);
        Assert.Equal(Sha256Hex($"1001:{domain}:new-password"), credentials.Ha1Sha256);
    }

    [Fact]
    public async Task Credentials_of_unknown_user_are_404_problem()
    {
        string domain = await fixture.CreateDomainAsync();
        await ProblemAssert.StatusAsync(await Http.GetAsync($"/v1/domains/{domain}/users/9999/credentials"), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> InvalidUsers => new()
    {
        { """{"password":"password123"}""", "user" },
        { """{"user":"10:01","password":"password123"}""", "user" },
        { """{"user":"1001"}""", "password" },
        { """{"user":"1001","password":"short"}""", "password" },
        { """{"user":"1001","password":"password123","noAnswerSeconds":1}""", "noAnswerSeconds" },
        { """{"user":"1001","password":"password123","noAnswerSeconds":"soon"}""", "noAnswerSeconds" },
        { """{"user":"1001","password":"password123","language":"english!"}""", "language" },
        { """{"user":"1001","password":"password123","displayName":"a\"b"}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidUsers))]
    public async Task Invalid_user_is_400_naming_the_field_and_nothing_stored(string json, string field)
    {
        string domain = await fixture.CreateDomainAsync();
        var keysBefore = await fixture.KeysOfAsync(domain);

        var response = await Http.PostAsync($"/v1/domains/{domain}/users", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationErrorAsync(response, field);
        Assert.Equal(keysBefore, await fixture.KeysOfAsync(domain));
    }

    [Fact]
    public async Task User_in_unserved_domain_is_404_and_nothing_stored()
    {
        string domain = AppLayerFixture.NewDomain();
        await ProblemAssert.StatusAsync(
            await Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1001", password = "password123" }), HttpStatusCode.NotFound);
        Assert.Empty(await fixture.KeysOfAsync(domain));
    }

    [Fact]
    public async Task Duplicate_user_is_409_and_keeps_the_first_password()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", "first-password");

        await ProblemAssert.StatusAsync(
            await Http.PostAsJsonAsync($"/v1/domains/{domain}/users", new { user = "1001", password = "second-password" }), HttpStatusCode.Conflict);

        var credentials = await Http.GetFromJsonAsync<UserCredentials>($"/v1/domains/{domain}/users/1001/credentials");
        Assert.Equal(Md5Hex($"1001:{domain}:first-password"), credentials!.Ha1Md5);
    }

    [Fact]
    public async Task Patch_of_missing_user_is_404_and_does_not_create_it()
    {
        string domain = await fixture.CreateDomainAsync();
        await ProblemAssert.StatusAsync(
            await Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { displayName = "Ghost" }), HttpStatusCode.NotFound);
        Assert.False(await fixture.Redis.KeyExistsAsync($"vp:user:{domain}:1001"));
    }
}
