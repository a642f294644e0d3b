using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// The registrar (RFC 3261 section 10.3, RFC 3327) through the platform's proxy and routers, with REGISTERs written by
/// hand and authenticated with SHA-256 digest (RFC 8760).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RegistrarTests(PlatformFixture platform)
{
    private async Task<RawRegistration> NewUserAsync()
    {
        var (user, password) = await PlatformUsers.CreateAsync(platform);
        return new RawRegistration(new UdpPeer(), platform.SipEndPoint("proxy"), user, password);
    }

    private static string[] Contacts(string response) =>
        response.Split("\r\n").Where(line => line.StartsWith("Contact:")).ToArray();

    [Fact]
    public async Task Several_contacts_register_each_with_its_own_expiry_and_the_edge_path_is_echoed()
    {
        using RawRegistration phone = await NewUserAsync();

        string ok = await phone.SendAsync("Contact: <sip:desk@127.0.0.1:7001>;expires=600\r\nContact: <sip:mobile@127.0.0.1:7002>\r\n", expires: "120");

        Assert.StartsWith("SIP/2.0 200", ok);
        string[] contacts = Contacts(ok);
        Assert.Equal(2, contacts.Length);
        Assert.Contains(contacts, c => c.StartsWith("Contact: <sip:desk@127.0.0.1:7001>;expires=") && int.Parse(c.Split("expires=")[1]) is > 590 and <= 600);
        Assert.Contains(contacts, c => c.StartsWith("Contact: <sip:mobile@127.0.0.1:7002>;expires=") && int.Parse(c.Split("expires=")[1]) is > 110 and <= 120);
        Assert.Contains($"Path: <sip:{platform.SipEndPoint("proxy")};lr>", ok);
    }

    [Fact]
    public async Task A_challenge_keeps_no_transaction_so_a_retransmitted_register_is_challenged_anew()
    {
        using var phone = new UdpPeer();
        System.Net.IPEndPoint router = platform.SipEndPoint("router");
        string register =
            $"REGISTER sip:{PlatformFixture.Domain} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {phone.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport\r\n" +
            $"From: <sip:stateless@{PlatformFixture.Domain}>;tag=s1\r\nTo: <sip:stateless@{PlatformFixture.Domain}>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}@127.0.0.1\r\nCSeq: 1 REGISTER\r\nContact: <sip:stateless@{phone.EndPoint}>\r\n" +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

        phone.Send(register, router);
        string? first = await phone.ReceiveUntilAsync("SIP/2.0 ", TimeSpan.FromSeconds(10));
        phone.Send(register, router); // the same request again, as a retransmission
        string? second = await phone.ReceiveUntilAsync("SIP/2.0 ", TimeSpan.FromSeconds(10));

        Assert.StartsWith("SIP/2.0 401", first);
        Assert.StartsWith("SIP/2.0 401", second);
        // Decided anew (RFC 3261 section 8.2.7), not resent from a transaction kept for timer J: a fresh nonce.
        Assert.NotEqual(Nonce(first!), Nonce(second!));
    }

    [Fact]
    public async Task A_retransmitted_authenticated_register_gets_its_200_again_from_the_kept_transaction()
    {
        var (user, password) = await PlatformUsers.CreateAsync(platform);
        using var phone = new RawRegistration(new UdpPeer(), platform.SipEndPoint("router"), user, password);

        string ok = await phone.SendAsync("Contact: <sip:kept@127.0.0.1:7009>\r\n");
        string again = await phone.ResendLastAsync();

        Assert.StartsWith("SIP/2.0 200", ok);
        // Stateless, its nonce count would now be a replay and earn a new challenge: the registrar keeps the
        // transaction of a 200 for timer J (RFC 3261 section 8.2.7 rules out stateless registrars).
        Assert.Equal(ok, again);
    }

    private static string Nonce(string challenge) => challenge.Split("nonce=\"")[1].Split('"')[0];

    [Fact]
    public async Task A_register_without_contact_is_a_query_and_the_wildcard_removes_every_binding()
    {
        using RawRegistration phone = await NewUserAsync();
        await phone.SendAsync("Contact: <sip:a@127.0.0.1:7003>\r\nContact: <sip:b@127.0.0.1:7004>\r\n");

        Assert.Equal(2, Contacts(await phone.SendAsync("")).Length);

        string removed = await phone.SendAsync("Contact: *\r\n", expires: "0");
        Assert.StartsWith("SIP/2.0 200", removed);
        Assert.Empty(Contacts(removed));
        Assert.Empty(Contacts(await phone.SendAsync("")));
    }

    [Fact]
    public async Task Too_short_a_registration_gets_423_with_min_expires_and_the_wildcard_needs_expires_0()
    {
        using RawRegistration phone = await NewUserAsync();

        string brief = await phone.SendAsync("Contact: <sip:a@127.0.0.1:7005>\r\n", expires: "5");
        Assert.StartsWith("SIP/2.0 423", brief);
        Assert.Contains("Min-Expires: 60\r\n", brief);

        Assert.StartsWith("SIP/2.0 400", await phone.SendAsync("Contact: *\r\n", expires: "60"));
    }

    [Fact]
    public async Task More_contacts_than_allowed_are_refused_and_nothing_is_stored()
    {
        using RawRegistration phone = await NewUserAsync();
        string tooMany = string.Concat(Enumerable.Range(0, 11).Select(i => $"Contact: <sip:d{i}@127.0.0.1:{7100 + i}>\r\n")); // Router:MaxContactsPerUser is 10

        Assert.StartsWith("SIP/2.0 403", await phone.SendAsync(tooMany));
        Assert.Empty(Contacts(await phone.SendAsync("")));
    }

    [Fact]
    public async Task Unauthenticated_call_from_a_domain_the_platform_does_not_serve_is_refused_with_403()
    {
        using var stranger = new UdpPeer();
        var seen = new List<string>();

        // A busy platform may shed the request with 503 and Retry-After (the router's API call timed out under the
        // whole suite's load): that relays nothing either, and the caller tries again, as a UA would.
        string? final = null;
        for (int attempt = 0; attempt < 3 && (final is null || final.StartsWith("SIP/2.0 503")); attempt++)
        {
            stranger.Send(SipRequests.Invite(stranger.EndPoint, "relay-me.example"), platform.SipEndPoint("proxy"));
            final = await stranger.ReceiveFinalResponseAsync(TimeSpan.FromSeconds(10));
            seen.Add(final ?? "(no final response in 10 s)");
        }

        Assert.True(final is not null && final.StartsWith("SIP/2.0 403"), $"answers: {string.Join("\n---\n", seen)}");
    }
}
