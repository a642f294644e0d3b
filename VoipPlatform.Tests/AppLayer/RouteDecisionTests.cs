using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

/// <summary><c>POST /v1/calls/route</c>: one test per kind of plan, against data created through the API.</summary>
[Collection(AppLayerCollection.Name)]
public sealed class RouteDecisionTests(AppLayerFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static readonly int[] VoicemailFailover = [486, 408, 480];

    private static CallRouteRequest Call(string callee, string domain, string caller = "2000", string callerDomain = "elsewhere.example",
        bool authenticated = false, bool trusted = false) =>
        new($"call-{Guid.NewGuid():N}", new SipParty(caller, callerDomain), new SipParty(callee, domain),
            $"sip:{callee}@{domain}", "127.0.0.1:5060", authenticated, trusted);

    private async Task<RoutePlan> RouteAsync(CallRouteRequest request)
    {
        var response = await Http.PostAsJsonAsync("/v1/calls/route", request, AppLayerFixture.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoutePlan>(AppLayerFixture.Json))!;
    }

    private async Task PutRuleAsync(string domain, string user, object rule) =>
        (await Http.PutAsJsonAsync($"/v1/domains/{domain}/users/{user}/rule", rule)).EnsureSuccessStatusCode();

    [Fact]
    public async Task Default_rule_rings_the_user_then_fails_over_to_voicemail()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", settings: new { noAnswerSeconds = 25, language = "it" });

        var plan = await RouteAsync(Call("1001", domain, caller: "1002", callerDomain: domain, authenticated: true));

        Assert.Null(plan.Status);
        Assert.Equal(2, plan.Steps.Count);
        var ring = plan.Steps[0];
        Assert.Equal([RouteTarget.ForUser("1001", domain)], ring.Targets);
        Assert.Equal(25, ring.TimeoutSeconds);
        Assert.Equal(VoicemailFailover, ring.FailoverOn);
        var voicemail = Assert.Single(plan.Steps[1].Targets);
        Assert.Equal(RouteTargetKind.Application, voicemail.Kind);
        Assert.Equal(ApplicationNames.VoicemailDeposit, voicemail.Application);
        Assert.Equal(new Dictionary<string, string> { ["mailbox"] = "1001", ["caller"] = "1002", ["language"] = "it", ["domain"] = domain }, voicemail.Parameters);
    }

    [Fact]
    public async Task Default_rule_without_voicemail_only_rings()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", settings: new { voicemailEnabled = false });

        var plan = await RouteAsync(Call("1001", domain));

        var step = Assert.Single(plan.Steps);
        Assert.Equal([RouteTarget.ForUser("1001", domain)], step.Targets);
        Assert.Equal(20, step.TimeoutSeconds);
    }

    [Fact]
    public async Task Do_not_disturb_goes_straight_to_voicemail()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await PutRuleAsync(domain, "1001", new { mode = "DoNotDisturb" });

        var plan = await RouteAsync(Call("1001", domain));

        var target = Assert.Single(Assert.Single(plan.Steps).Targets);
        Assert.Equal(ApplicationNames.VoicemailDeposit, target.Application);
        Assert.Equal("1001", target.Parameters![ApplicationParameters.Mailbox]);
    }

    [Fact]
    public async Task Do_not_disturb_without_voicemail_is_486()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", settings: new { voicemailEnabled = false });
        await PutRuleAsync(domain, "1001", new { mode = "DoNotDisturb" });

        var plan = await RouteAsync(Call("1001", domain));

        Assert.Equal(486, plan.Status);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public async Task Unconditional_forward_to_a_user_rings_that_user()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002");
        await PutRuleAsync(domain, "1001", new { mode = "Forward", forwardTo = "1002" });

        var plan = await RouteAsync(Call("1001", domain));

        Assert.Equal([RouteTarget.ForUser("1002", domain)], Assert.Single(plan.Steps).Targets);
    }

    [Fact]
    public async Task Unconditional_forward_to_a_uri_rings_the_uri()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await PutRuleAsync(domain, "1001", new { mode = "Forward", forwardTo = "sip:bob@127.0.0.1:5090" });

        var plan = await RouteAsync(Call("1001", domain));

        Assert.Equal([RouteTarget.ForUri("sip:bob@127.0.0.1:5090")], Assert.Single(plan.Steps).Targets);
    }

    [Fact]
    public async Task Did_to_user_applies_the_users_rules()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "+390212345", user = "1001" })).EnsureSuccessStatusCode();
        await PutRuleAsync(domain, "1001", new { mode = "DoNotDisturb" });

        var plan = await RouteAsync(Call("+390212345", domain));

        var target = Assert.Single(Assert.Single(plan.Steps).Targets);
        Assert.Equal(ApplicationNames.VoicemailDeposit, target.Application);
        Assert.Equal("1001", target.Parameters![ApplicationParameters.Mailbox]);
    }

    [Fact]
    public async Task Did_to_application_is_one_step_with_its_parameters()
    {
        string domain = await fixture.CreateDomainAsync();
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new
        {
            number = "8100",
            application = "conference",
            parameters = new Dictionary<string, string> { ["room"] = "1", ["pin"] = "4321", ["max-members"] = "10" },
        })).EnsureSuccessStatusCode();

        var plan = await RouteAsync(Call("8100", domain, caller: "2000"));

        var target = Assert.Single(Assert.Single(plan.Steps).Targets);
        Assert.Equal(RouteTargetKind.Application, target.Kind);
        Assert.Equal(ApplicationNames.Conference, target.Application);
        Assert.Equal(new Dictionary<string, string> { ["room"] = "1", ["pin"] = "4321", ["max-members"] = "10", ["caller"] = "2000", ["domain"] = domain },
            target.Parameters);
    }

    [Fact]
    public async Task Voicemail_check_without_mailbox_gives_an_authenticated_caller_its_own_and_nobody_else_one()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "8000", application = "voicemail-check" })).EnsureSuccessStatusCode();

        var own = await RouteAsync(Call("8000", domain, caller: "1001", callerDomain: domain, authenticated: true));
        var spoofed = await RouteAsync(Call("8000", domain, caller: "1001", callerDomain: domain, authenticated: false));

        Assert.Equal("1001", own.Steps[0].Targets[0].Parameters![ApplicationParameters.Mailbox]);
        Assert.False(spoofed.Steps[0].Targets[0].Parameters!.ContainsKey(ApplicationParameters.Mailbox));
    }

    [Fact]
    public async Task Unknown_callee_is_404()
    {
        string domain = await fixture.CreateDomainAsync();
        var plan = await RouteAsync(Call("4711", domain, authenticated: true));
        Assert.Equal(404, plan.Status);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public async Task Disabled_user_is_403_directly_and_through_a_did()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", settings: new { enabled = false });
        (await Http.PostAsJsonAsync($"/v1/domains/{domain}/numbers", new { number = "5551001", user = "1001" })).EnsureSuccessStatusCode();

        Assert.Equal(403, (await RouteAsync(Call("1001", domain))).Status);
        Assert.Equal(403, (await RouteAsync(Call("5551001", domain))).Status);
    }

    [Fact]
    public async Task Foreign_domain_from_unauthenticated_untrusted_caller_is_403_no_open_relay()
    {
        var plan = await RouteAsync(Call("bob", AppLayerFixture.NewDomain()));
        Assert.Equal(403, plan.Status);
        Assert.Empty(plan.Steps);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Foreign_domain_from_authenticated_or_trusted_caller_goes_to_the_request_uri(bool authenticated, bool trusted)
    {
        string foreign = AppLayerFixture.NewDomain();
        var request = Call("bob", foreign, authenticated: authenticated, trusted: trusted);

        var plan = await RouteAsync(request);

        Assert.Null(plan.Status);
        Assert.Equal([RouteTarget.ForUri(request.RequestUri)], Assert.Single(plan.Steps).Targets);
    }

    [Fact]
    public async Task Callee_domain_is_matched_case_insensitively()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        var plan = await RouteAsync(Call("1001", domain.ToUpperInvariant()));
        Assert.Equal(RouteTarget.ForUser("1001", domain), plan.Steps[0].Targets[0]);
    }

    [Fact]
    public async Task Plan_json_uses_camel_case_and_string_kinds()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");

        var response = await Http.PostAsJsonAsync("/v1/calls/route", Call("1001", domain), AppLayerFixture.Json);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var target = document.RootElement.GetProperty("steps")[0].GetProperty("targets")[0];
        Assert.Equal("User", target.GetProperty("kind").GetString());
        Assert.Equal(20, document.RootElement.GetProperty("steps")[0].GetProperty("timeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task Route_request_without_callee_is_400_naming_callee()
    {
        var response = await Http.PostAsync("/v1/calls/route", new StringContent(
            """{"callId":"x","caller":{"user":"1","domain":"d"},"requestUri":"sip:1@d","source":"127.0.0.1:5060"}""",
            System.Text.Encoding.UTF8, "application/json"));
        await ProblemAssert.ValidationErrorAsync(response, "callee");
    }
}
