using System.Net;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// A SIPp "phone" of one platform user on its own port: it registers through the proxy (digest auth), then a UAS
/// scenario on the same port receives the calls the platform routes to that registration.
/// </summary>
public sealed class SippPhone(PlatformFixture platform, string user, string password, IPEndPoint? proxy = null)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(30);

    public string User => user;

    public string Password => password;

    public int Port { get; } = FreeSipPort.Next();

    /// <summary>The edge proxy this phone uses: the platform's, unless a test runs its own.</summary>
    private IPEndPoint Proxy => proxy ?? platform.SipEndPoint("proxy");

    /// <summary>Registers (or with <paramref name="expires"/> 0 unregisters) this phone's Contact.</summary>
    public async Task<SippResult> RegisterAsync(int expires = 300, string? withPassword = null, int expectedStatus = 200)
    {
        await using var run = SippRun.Start("-sf", SippScenarios.Register(expectedStatus), Proxy.ToString(),
            "-i", "127.0.0.1", "-p", Port.ToString(), "-s", user, "-au", user, "-ap", withPassword ?? password,
            "-set", "domain", PlatformFixture.Domain, "-set", "expires", expires.ToString(), "-m", "1");
        return await run.WaitAsync(RunLimit);
    }

    /// <summary>Starts a UAS scenario on this phone's port for <paramref name="calls"/> calls.</summary>
    public SippRun Answer(string scenario, int calls = 1, params string[] options) =>
        SippRun.Start(["-sf", scenario, "-i", "127.0.0.1", "-p", Port.ToString(), "-m", calls.ToString(), .. options]);

    /// <summary>
    /// Calls <paramref name="callee"/> (user part in the seeded domain) from this phone's user, answering the 407, and
    /// hangs up after <paramref name="holdMilliseconds"/>. With <paramref name="callLog"/>, each call writes
    /// <c>started N</c> and <c>completed N</c> lines there (N: the call's number, in start order). With
    /// <paramref name="answerTimeoutMilliseconds"/>, a call waiting longer than that for any answer fails.
    /// </summary>
    public SippRun Call(string callee, int calls = 1, int callsPerSecond = 10, int holdMilliseconds = 200, string? callLog = null,
        int? answerTimeoutMilliseconds = null, string? scenario = null, params string[] options) =>
        SippRun.Start([
            "-sf", scenario ?? SippScenarios.AuthenticatedCall(), Proxy.ToString(),
            "-i", "127.0.0.1", "-p", FreeSipPort.Next().ToString(), "-s", user, "-au", user, "-ap", password,
            "-set", "domain", PlatformFixture.Domain, "-set", "callee", callee,
            "-m", calls.ToString(), "-r", callsPerSecond.ToString(), "-d", holdMilliseconds.ToString(),
            .. callLog is null ? Array.Empty<string>() : ["-trace_logs", "-log_file", callLog],
            .. answerTimeoutMilliseconds is { } timeout ? ["-recv_timeout", timeout.ToString()] : Array.Empty<string>(),
            .. options]);

    /// <summary>A phone of a new user made through the API.</summary>
    public static async Task<SippPhone> CreateAsync(PlatformFixture platform, IPEndPoint? proxy = null)
    {
        var (user, password) = await PlatformUsers.CreateAsync(platform);
        return new SippPhone(platform, user, password, proxy);
    }
}
