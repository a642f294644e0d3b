using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using VoipPlatform.Contracts.Directory;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.Router.Caching;

/// <summary>
/// The router's decision cache against the real API and the real Redis both share (<see cref="AppLayerFixture"/>):
/// answers are reused, and a change made through the API reaches the next call at once although the max ages are
/// an hour. Changes written straight into Redis (no notice published) show what is served from the cache.
/// </summary>
[Collection(AppLayerCollection.Name)]
public sealed class DirectoryCacheTests(AppLayerFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);
    private static readonly TimeSpan NoticeWait = TimeSpan.FromSeconds(5);

    private static RouterOptions Options(TimeSpan? decisions = null, TimeSpan? directory = null, int entries = 100_000) =>
        new() { DecisionCacheTime = decisions ?? Long, DirectoryCacheTime = directory ?? Long, DecisionCacheEntries = entries };

    private Task<RouterSide> StartRouterAsync(RouterOptions? options = null, TimeProvider? time = null) =>
        RouterSide.StartAsync(fixture.RedisConnectionString, fixture.Http.BaseAddress!, options ?? Options(), time);

    private static CallRouteRequest Call(string callee, string domain, string caller = "2000") =>
        new($"call-{Guid.NewGuid():N}", new SipParty(caller, "elsewhere.example"), new SipParty(callee, domain),
            $"sip:{callee}@{domain}", "127.0.0.1:5060", CallerAuthenticated: false, SourceTrusted: false,
            new Dictionary<string, string> { ["User-Agent"] = "test" });

    /// <summary>A rule written into Redis without the API, so no change notice: what the router serves then is cached.</summary>
    private Task SetRuleBehindTheApisBackAsync(string domain, string user, string mode) =>
        fixture.Redis.HashSetAsync($"vp:rule:{domain}:{user}", "mode", mode);

    private static bool IsDoNotDisturb(RoutePlan plan) => plan.Steps.Count == 1 && plan.Steps[0].Targets[0].Kind == RouteTargetKind.Application;

    /// <summary>Routes <paramref name="call"/> (with fresh Call-IDs) until <paramref name="done"/> holds, bounded by the pub/sub delivery wait.</summary>
    private static async Task<RoutePlan> RouteUntilAsync(RouterSide router, CallRouteRequest call, Func<RoutePlan, bool> done)
    {
        var deadline = DateTime.UtcNow + NoticeWait;
        while (true)
        {
            var plan = await router.Api.RouteAsync(call with { CallId = $"call-{Guid.NewGuid():N}" });
            if (done(plan) || DateTime.UtcNow > deadline) return plan;
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_second_call_with_the_same_facts_is_served_without_asking_the_API()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await using var router = await StartRouterAsync();
        var counted = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("router.cache.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cache" && (string?)tag.Value == "plans") lock (counted) counted[instrument.Name] = counted.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        var first = await router.Api.RouteAsync(Call("1001", domain));
        int asked = router.ApiRequests;
        var second = await router.Api.RouteAsync(Call("1001", domain));
        await SetRuleBehindTheApisBackAsync(domain, "1001", "DoNotDisturb");
        var third = await router.Api.RouteAsync(Call("1001", domain));

        Assert.Equal(1, asked);
        Assert.Equal(1, router.ApiRequests);
        Assert.Equal(2, first.Steps.Count);
        Assert.Same(first, second);
        Assert.Same(first, third); // the API would now say do-not-disturb: this came from the cache
        lock (counted)
        {
            Assert.Equal(2, counted.GetValueOrDefault("router.cache.hits"));
            Assert.Equal(1, counted.GetValueOrDefault("router.cache.misses"));
        }
    }

    [Fact]
    public async Task A_rule_changed_through_the_API_reaches_the_next_call()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await using var router = await StartRouterAsync();
        var call = Call("1001", domain);
        var before = await router.Api.RouteAsync(call);
        Assert.False(IsDoNotDisturb(before));

        (await fixture.Http.PutAsJsonAsync($"/v1/domains/{domain}/users/1001/rule", new { mode = "DoNotDisturb" })).EnsureSuccessStatusCode();

        var after = await RouteUntilAsync(router, call, IsDoNotDisturb);
        Assert.True(IsDoNotDisturb(after), "the plan from before the rule change was still served");
        // And the new plan is cached in turn.
        int asked = router.ApiRequests;
        Assert.Same(after, await router.Api.RouteAsync(call with { CallId = "again" }));
        Assert.Equal(asked, router.ApiRequests);
    }

    [Fact]
    public async Task Calls_with_other_callees_or_callers_are_not_confused()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await fixture.CreateUserAsync(domain, "1002", settings: new { voicemailEnabled = false });
        await using var router = await StartRouterAsync();

        var to1001From2000 = await router.Api.RouteAsync(Call("1001", domain, caller: "2000"));
        var to1002From2000 = await router.Api.RouteAsync(Call("1002", domain, caller: "2000"));
        var to1001From2001 = await router.Api.RouteAsync(Call("1001", domain, caller: "2001"));
        var otherAgent = await router.Api.RouteAsync(Call("1001", domain, caller: "2000") with
        {
            Headers = new Dictionary<string, string> { ["User-Agent"] = "other" },
        });

        Assert.Equal(4, router.ApiRequests);
        Assert.Equal(2, to1001From2000.Steps.Count);
        Assert.Equal(RouteTarget.ForUser("1002", domain), Assert.Single(Assert.Single(to1002From2000.Steps).Targets));
        Assert.Equal("2000", to1001From2000.Steps[1].Targets[0].Parameters![ApplicationParameters.Caller]);
        Assert.Equal("2001", to1001From2001.Steps[1].Targets[0].Parameters![ApplicationParameters.Caller]);
        Assert.NotSame(to1001From2000, otherAgent);
        // Each is now cached under its own facts.
        Assert.Same(to1001From2001, await router.Api.RouteAsync(Call("1001", domain, caller: "2001")));
        Assert.Same(to1002From2000, await router.Api.RouteAsync(Call("1002", domain, caller: "2000")));
        Assert.Equal(4, router.ApiRequests);
    }

    [Fact]
    public async Task With_DecisionCacheTime_0_every_call_asks_the_API()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        await using var router = await StartRouterAsync(Options(decisions: TimeSpan.Zero));

        await router.Api.RouteAsync(Call("1001", domain));
        await SetRuleBehindTheApisBackAsync(domain, "1001", "DoNotDisturb");
        var second = await router.Api.RouteAsync(Call("1001", domain));

        Assert.Equal(2, router.ApiRequests);
        Assert.True(IsDoNotDisturb(second));
    }

    /// <summary>
    /// A router on virtual time with a 60 s plan max age, which has cached user 1001's plan; then the user's rule is
    /// changed behind the API's back (no notice), so a later DoNotDisturb plan can only come from asking the API again.
    /// </summary>
    private async Task<(RouterSide Router, FakeTimeProvider Time, string Domain)> CachePlanThenChangeItSilentlyAsync()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        var time = new FakeTimeProvider();
        RouterSide router = await StartRouterAsync(Options(decisions: TimeSpan.FromSeconds(60)), time);
        await router.Api.RouteAsync(Call("1001", domain));
        await SetRuleBehindTheApisBackAsync(domain, "1001", "DoNotDisturb");
        return (router, time, domain);
    }

    [Fact]
    public async Task A_plan_older_than_DecisionCacheTime_is_asked_for_again()
    {
        (RouterSide router, FakeTimeProvider time, string domain) = await CachePlanThenChangeItSilentlyAsync();
        await using var _ = router;
        time.Advance(TimeSpan.FromSeconds(40)); // before any refresh point: nothing is renewed in the background
        Assert.False(IsDoNotDisturb(await router.Api.RouteAsync(Call("1001", domain))));
        time.Advance(TimeSpan.FromSeconds(21)); // 61 s, not read since: the max age has run out
        Assert.True(IsDoNotDisturb(await router.Api.RouteAsync(Call("1001", domain))));
        Assert.Equal(2, router.ApiRequests);
    }

    [Fact]
    public async Task A_plan_near_its_max_age_is_served_at_once_while_one_question_in_the_background_renews_it()
    {
        (RouterSide router, FakeTimeProvider time, string domain) = await CachePlanThenChangeItSilentlyAsync();
        await using var _ = router;
        time.Advance(TimeSpan.FromSeconds(55)); // past every refresh point (42 to 54 s), before the max age
        Assert.False(IsDoNotDisturb(await router.Api.RouteAsync(Call("1001", domain)))); // served, not waited for
        Assert.False(IsDoNotDisturb(await router.Api.RouteAsync(Call("1001", domain)))); // still served from the cache

        // One question renews it; the calls meanwhile ask nothing more.
        RoutePlan renewed = await RouteUntilAsync(router, Call("1001", domain), IsDoNotDisturb);
        Assert.True(IsDoNotDisturb(renewed));
        Assert.Equal(2, router.ApiRequests);
        // 75 s after the first answer, past its max age: the renewed answer serves, nothing is asked.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(IsDoNotDisturb(await router.Api.RouteAsync(Call("1001", domain))));
        Assert.Equal(2, router.ApiRequests);
    }

    [Fact]
    public async Task Answers_kept_together_come_due_for_renewal_spread_between_70_and_90_percent_of_their_max_age()
    {
        var time = new FakeTimeProvider();
        await using var router = await StartRouterAsync(Options(decisions: TimeSpan.FromSeconds(60)), time);
        var calls = Enumerable.Range(0, 1_000).Select(i => Call($"1{i:D3}", "nowhere.test")).ToList();
        foreach (var call in calls) router.Cache.Plans.Add(call, RoutePlan.Reject(404), router.Cache.Ticket());

        int Due() => calls.Count(call => router.Cache.Plans.TryGet(call, out _, out bool renew) && renew);
        time.Advance(TimeSpan.FromSeconds(41));
        Assert.Equal(0, Due());
        time.Advance(TimeSpan.FromSeconds(7)); // 48 s: half way through the window (42 to 54 s)
        int firstHalf = Due();
        Assert.InRange(firstHalf, 350, 650);
        time.Advance(TimeSpan.FromSeconds(7)); // 55 s: every one is due, and each is handed out once only
        Assert.Equal(1_000 - firstHalf, Due());
        Assert.Equal(0, Due());
    }

    [Fact]
    public async Task An_answer_asked_for_before_a_change_notice_is_not_kept()
    {
        await using var router = await StartRouterAsync();
        var call = Call("1001", "nowhere.test");
        var plan = RoutePlan.Reject(404);

        long ticket = router.Cache.Ticket();
        long generation = router.Cache.Generation;
        // A change committed while the answer was on its way: the notice arrives before the answer does.
        await fixture.Redis.PublishAsync(RedisChannel.Literal(DirectoryChanges.Channel), 1);
        var deadline = DateTime.UtcNow + NoticeWait;
        while (router.Cache.Generation == generation && DateTime.UtcNow < deadline) await Task.Delay(10);
        router.Cache.Plans.Add(call, plan, ticket);

        Assert.False(router.Cache.Plans.TryGet(call, out _, out _));
        // The same answer asked for after the notice is kept.
        router.Cache.Plans.Add(call, plan, router.Cache.Ticket());
        Assert.True(router.Cache.Plans.TryGet(call with { CallId = "other" }, out var cached, out _));
        Assert.Same(plan, cached);
    }

    [Fact]
    public async Task A_full_cache_starts_over_instead_of_growing()
    {
        await using var router = await StartRouterAsync(Options(entries: 2));
        for (int i = 0; i < 5; i++) router.Cache.Plans.Add(Call($"10{i}", "nowhere.test"), RoutePlan.Reject(404), router.Cache.Ticket());

        Assert.InRange(router.Cache.Plans.Count, 0, 2);
    }

    [Fact]
    public async Task A_password_changed_through_the_API_reaches_the_next_lookup_although_DirectoryCacheTime_is_long()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001", password: "password123");
        await using var router = await StartRouterAsync();

        var before = await router.Api.GetCredentialsAsync("1001", domain);
        Assert.Same(before, await router.Api.GetCredentialsAsync("1001", domain));
        Assert.Equal(1, router.ApiRequests);

        (await fixture.Http.PatchAsJsonAsync($"/v1/domains/{domain}/users/1001", new { password = "password456" })).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow + NoticeWait;
        var after = before;
        while (after!.Ha1Md5 == before!.Ha1Md5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            after = await router.Api.GetCredentialsAsync("1001", domain);
        }
        Assert.Equal(VoipPlatform.AppLayer.Users.Ha1Digest.Md5("1001", domain, "password456"), after.Ha1Md5);
    }

    [Fact]
    public async Task A_deleted_domain_is_no_longer_served_at_the_next_lookup()
    {
        string domain = await fixture.CreateDomainAsync();
        await using var router = await StartRouterAsync();
        Assert.True(await router.Api.IsServedDomainAsync(domain));
        Assert.True(await router.Api.IsServedDomainAsync(domain));
        Assert.Equal(1, router.ApiRequests);

        (await fixture.Http.DeleteAsync($"/v1/domains/{domain}")).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow + NoticeWait;
        while (await router.Api.IsServedDomainAsync(domain) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.False(await router.Api.IsServedDomainAsync(domain));
    }

    /// <summary>
    /// The router subscribes on a Redis of its own here (real, separate from the API's), so it can be stopped and
    /// restarted without taking the API down: while it is down the cache must not serve, and after it is back the
    /// cache must start empty (notices may have been missed meanwhile).
    /// </summary>
    [Fact]
    public async Task While_the_subscription_Redis_is_down_every_call_asks_the_API_and_after_it_is_back_nothing_old_is_served()
    {
        string domain = await fixture.CreateDomainAsync();
        await fixture.CreateUserAsync(domain, "1001");
        var notices = await RedisServer.StartAsync();
        int port = notices.EndPoint.Port;
        await using var router = await RouterSide.StartAsync(notices.ConnectionString, fixture.Http.BaseAddress!, Options());
        try
        {
            var call = Call("1001", domain);
            await router.Api.RouteAsync(call);
            await router.Api.RouteAsync(call);
            Assert.Equal(1, router.ApiRequests);

            await notices.DisposeAsync();
            await router.WaitAsync(live: false);
            await router.Api.RouteAsync(call);
            await SetRuleBehindTheApisBackAsync(domain, "1001", "DoNotDisturb");
            var whileDown = await router.Api.RouteAsync(call);
            Assert.Equal(3, router.ApiRequests);
            Assert.True(IsDoNotDisturb(whileDown));

            await SetRuleBehindTheApisBackAsync(domain, "1001", "Default");
            // Cached nothing while down? Prove it after the restart too: the first call asks, the second is cached again.
            notices = await RedisServer.StartAsync(port);
            await router.WaitAsync(live: true);
            var afterRestart = await router.Api.RouteAsync(call);
            Assert.False(IsDoNotDisturb(afterRestart));
            Assert.Equal(4, router.ApiRequests);
            Assert.Same(afterRestart, await router.Api.RouteAsync(call));
            Assert.Equal(4, router.ApiRequests);
        }
        finally
        {
            await notices.DisposeAsync();
        }
    }
}
