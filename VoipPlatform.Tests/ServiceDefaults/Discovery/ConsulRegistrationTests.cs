using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VoipPlatform.Tests.ServiceDefaults.Discovery;

/// <summary>
/// Consul self-registration of a service built with <c>AddServiceDefaults</c>, against <see cref="ConsulStandIn"/>
/// (Consul itself cannot be installed here; <see cref="ConsulAgentTests"/> runs against a real agent where one is):
/// what is registered and where, the TTL check following the health checks, the shutdown order, retries while the
/// agent is not ready, and silence when no agent is configured.
/// </summary>
public sealed class ConsulRegistrationTests : IAsyncLifetime
{
    private const int SipPort = 5099;
    private const string RegisterPath = "/v1/agent/service/register";
    private const string Reason = "draining for the test";
    private static readonly string ServiceId = ServiceUnderTest.DefaultServiceId(SipPort);
    private static readonly string CheckUpdatePath = $"/v1/agent/check/update/service:{ServiceId}";
    private static readonly string MaintenancePath = $"/v1/agent/service/maintenance/{ServiceId}";
    private static readonly string DeregisterPath = $"/v1/agent/service/deregister/{ServiceId}";

    private ConsulStandIn _consul = null!;

    public async Task InitializeAsync() => _consul = await ConsulStandIn.StartAsync();

    public async Task DisposeAsync() => await _consul.DisposeAsync();

    /// <summary>
    /// Settings of a SIP service pointed at the stand-in, with short timings: a report every 100 ms and retries after
    /// 50 ms, so the tests take well under a second each.
    /// </summary>
    private static Dictionary<string, string?> Settings(ConsulStandIn consul) => new()
    {
        ["Consul:Address"] = consul.Address.ToString(),
        ["Consul:RetryDelay"] = "00:00:00.050",
        ["Consul:MaxRetryDelay"] = "00:00:00.200",
        ["Consul:Service:CheckTtl"] = "00:00:00.300",
        ["Consul:Service:Tags:0"] = "udp",
        ["Consul:Service:Tags:1"] = "tcp",
        ["Consul:Service:Meta:ng"] = "127.0.0.1:2223",
        ["Consul:Service:MaintenanceReason"] = Reason,
        ["Sip:Port"] = SipPort.ToString(),
    };

    private static bool IsRegistration(ConsulStandIn.Request r) => r.Method == "PUT" && r.Path == RegisterPath;

    private static bool IsCheckUpdate(ConsulStandIn.Request r, string status) =>
        r.Method == "PUT" && r.Path == CheckUpdatePath && r.Body?.GetProperty("Status").GetString() == status;

    [Fact]
    public async Task Registers_name_id_address_sip_port_tags_meta_weights_and_a_passing_ttl_check_AgainstConsulStandIn()
    {
        await using var service = ServiceUnderTest.Create(Settings(_consul));
        await service.StartAsync();

        int registration = await _consul.WaitForAsync(IsRegistration, "registration");
        var body = _consul.Requests[registration].Body!.Value;

        Assert.Equal(ServiceUnderTest.DefaultServiceName, body.GetProperty("Name").GetString());
        Assert.Equal(ServiceId, body.GetProperty("ID").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("Address").GetString());
        Assert.Equal(SipPort, body.GetProperty("Port").GetInt32());
        Assert.Equal(["udp", "tcp"], body.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("127.0.0.1:2223", body.GetProperty("Meta").GetProperty("ng").GetString());
        Assert.Equal(1, body.GetProperty("Weights").GetProperty("Passing").GetInt32());
        Assert.Equal(1, body.GetProperty("Weights").GetProperty("Warning").GetInt32());
        var check = body.GetProperty("Check");
        Assert.Equal($"service:{ServiceId}", check.GetProperty("CheckID").GetString());
        Assert.Equal("300ms", check.GetProperty("TTL").GetString());
        Assert.Equal("60s", check.GetProperty("DeregisterCriticalServiceAfter").GetString());
        // Registered with the application's health at that moment, not Consul's default (critical) for TTL checks.
        Assert.Equal("passing", check.GetProperty("Status").GetString());
        await service.StopAsync();
    }

    [Fact]
    public async Task A_service_without_a_port_registers_none_AgainstConsulStandIn()
    {
        var settings = Settings(_consul);
        settings.Remove("Sip:Port");
        await using var service = ServiceUnderTest.Create(settings);
        await service.StartAsync();

        int registration = await _consul.WaitForAsync(IsRegistration, "registration");
        var body = _consul.Requests[registration].Body!.Value;

        Assert.False(body.TryGetProperty("Port", out _), "Port 0 must be left out");
        Assert.Equal(ServiceUnderTest.DefaultServiceId(0), body.GetProperty("ID").GetString());
        await service.StopAsync();
    }

    [Fact]
    public async Task The_endpoint_Aspire_injects_for_consul_is_used_when_no_address_is_configured_AgainstConsulStandIn()
    {
        var settings = Settings(_consul);
        settings.Remove("Consul:Address");
        settings["services:consul:http:0"] = _consul.Address.ToString().TrimEnd('/');
        await using var service = ServiceUnderTest.Create(settings);
        await service.StartAsync();

        await _consul.WaitForAsync(IsRegistration, "registration");
        await service.StopAsync();
    }

    [Fact]
    public async Task Ttl_check_turns_critical_while_a_health_check_fails_and_passing_again_when_it_recovers_AgainstConsulStandIn()
    {
        await using var service = ServiceUnderTest.Create(Settings(_consul));
        await service.StartAsync();
        int registered = await _consul.WaitForAsync(IsRegistration, "registration");
        int passing = await _consul.WaitForAsync(r => IsCheckUpdate(r, "passing"), "passing TTL update", registered);

        service.Healthy = false;
        int critical = await _consul.WaitForAsync(r => IsCheckUpdate(r, "critical"), "critical TTL update", passing);
        service.Healthy = true;
        await _consul.WaitForAsync(r => IsCheckUpdate(r, "passing"), "passing TTL update after recovery", critical);

        string output = _consul.Requests[critical].Body!.Value.GetProperty("Output").GetString()!;
        Assert.Contains(ServiceUnderTest.SwitchCheck, output);
        Assert.Contains("switched off by the test", output);
        await service.StopAsync();
    }

    [Fact]
    public async Task Stopping_enters_maintenance_before_the_sip_core_drains_and_deregisters_after_it_AgainstConsulStandIn()
    {
        string[]? seenWhenSipCoreStopped = null;
        await using var service = ServiceUnderTest.Create(Settings(_consul),
            sipCoreStopping: () => seenWhenSipCoreStopped = _consul.Requests.Select(r => r.Path).ToArray());
        await service.StartAsync();
        await _consul.WaitForAsync(IsRegistration, "registration");

        await service.StopAsync();

        var requests = _consul.Requests;
        int maintenance = requests.ToList().FindIndex(r => r.Method == "PUT" && r.Path == MaintenancePath);
        Assert.True(maintenance >= 0, $"no maintenance request: {string.Join(", ", requests)}");
        Assert.Equal("true", requests[maintenance].Query["enable"]);
        Assert.Equal(Reason, requests[maintenance].Query["reason"]);
        // Deregistration is the very last request, and the only one after maintenance.
        Assert.Equal(maintenance + 1, requests.Count - 1);
        Assert.Equal(("PUT", DeregisterPath), (requests[^1].Method, requests[^1].Path));
        // The SIP core was asked to drain while the instance was already out of DNS, and still registered.
        Assert.NotNull(seenWhenSipCoreStopped);
        Assert.Contains(MaintenancePath, seenWhenSipCoreStopped);
        Assert.DoesNotContain(DeregisterPath, seenWhenSipCoreStopped);
    }

    [Fact]
    public async Task Registration_is_retried_with_one_warning_per_failure_until_the_agent_answers_AgainstConsulStandIn()
    {
        await using var notReady = await ConsulStandIn.StartAsync(failFirst: 3);
        await using var service = ServiceUnderTest.Create(Settings(notReady));
        await service.StartAsync();

        int firstUpdate = await notReady.WaitForAsync(r => IsCheckUpdate(r, "passing"), "TTL update after registration");

        // Each failed attempt is one request (the HTTP client's own retries are off for the agent) and one warning
        // naming Consul's answer, without a stack trace.
        var requests = notReady.Requests;
        Assert.Equal(4, firstUpdate);
        Assert.All(requests.Take(4), r => Assert.True(IsRegistration(r), r.ToString()));
        var warnings = service.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.Contains("Consul")).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w =>
        {
            Assert.Contains("500", w.Message);
            Assert.Contains(ConsulStandIn.NoLeaderBody, w.Message);
            Assert.Null(w.Exception);
        });
        await service.StopAsync();
    }

    [Fact]
    public async Task A_failed_ttl_update_registers_the_instance_again_AgainstConsulStandIn()
    {
        await using var service = ServiceUnderTest.Create(Settings(_consul));
        await service.StartAsync();
        int registered = await _consul.WaitForAsync(IsRegistration, "registration");
        int passing = await _consul.WaitForAsync(r => IsCheckUpdate(r, "passing"), "passing TTL update", registered);

        // As after a dev agent restarted: it no longer knows the check.
        _consul.FailNext(1);
        int failed = await _consul.WaitForAsync(r => r.Path == CheckUpdatePath && r.Status == 500, "TTL update answered 500", passing);
        int again = await _consul.WaitForAsync(IsRegistration, "registration after the failed update", failed);

        Assert.Equal(failed + 1, again);
        await _consul.WaitForAsync(r => IsCheckUpdate(r, "passing"), "TTL update after registering again", again);
        await service.StopAsync();
    }

    [Fact]
    public async Task Without_a_Consul_address_nothing_is_sent_and_one_line_says_so_AgainstConsulStandIn()
    {
        var settings = Settings(_consul);
        settings.Remove("Consul:Address");
        await using var service = ServiceUnderTest.Create(settings);
        await service.StartAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // several report and retry intervals
        await service.StopAsync();

        Assert.Empty(_consul.Requests);
        var notice = Assert.Single(service.Logs.Entries, e => e.Message.Contains("Consul not configured"));
        Assert.Equal(LogLevel.Information, notice.Level);
        Assert.Equal("Consul not configured: next hops come from configured/Aspire endpoints", notice.Message);
    }

    [Fact]
    public async Task A_service_name_that_is_no_DNS_label_fails_start()
    {
        var settings = Settings(_consul);
        settings["Consul:Service:Name"] = "Router_1";
        await using var service = ServiceUnderTest.Create(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(service.StartAsync);

        Assert.Contains("Consul:Service:Name", error.Message);
        Assert.Empty(_consul.Requests);
    }
}
