using System.Net;
using System.Text.RegularExpressions;
using VoipPlatform.Sip.Authentication;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.AppHost;

/// <summary>
/// REGISTERs written by hand, for registrar cases SIPp's scenarios cannot express (several Contacts, the wildcard,
/// a query): answers the 401 with a digest response computed here, SHA-256 when offered.
/// </summary>
public sealed partial class RawRegistration(UdpPeer phone, IPEndPoint proxy, string user, string password) : IDisposable
{
    private readonly string _callId = $"{Guid.NewGuid():N}@127.0.0.1";
    private int _cseq;

    /// <summary>Sends a REGISTER with <paramref name="contactLines"/> (whole header lines, may be empty), authenticates, returns the final response.</summary>
    public async Task<string> SendAsync(string contactLines, string? expires = null)
    {
        string first = await RoundTripAsync(contactLines, expires, authorization: null);
        if (!first.StartsWith("SIP/2.0 401")) return first;

        Match challenge = Sha256Challenge().Match(first) is { Success: true } sha ? sha : Md5Challenge().Match(first);
        DigestAlgorithm algorithm = challenge.Groups["alg"].Value == "SHA-256" ? DigestAlgorithm.Sha256 : DigestAlgorithm.Md5;
        string realm = challenge.Groups["realm"].Value, nonce = challenge.Groups["nonce"].Value, uri = $"sip:{realm}";
        var credentials = new DigestCredentials(user, realm, nonce, uri, "", DigestHash.Name(algorithm), "auth", "00000001", "0a4f113b", null);
        string response = DigestHash.Response(DigestHash.Ha1(user, realm, password, algorithm), "REGISTER", credentials, algorithm);
        string authorization = $"Authorization: Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", " +
                               $"response=\"{response}\", algorithm={DigestHash.Name(algorithm)}, qop=auth, nc=00000001, cnonce=\"0a4f113b\"\r\n";
        return await RoundTripAsync(contactLines, expires, authorization);
    }

    private async Task<string> RoundTripAsync(string contactLines, string? expires, string? authorization)
    {
        int cseq = ++_cseq;
        string request =
            $"REGISTER sip:{PlatformFixture.Domain} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {phone.EndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport\r\n" +
            $"From: <sip:{user}@{PlatformFixture.Domain}>;tag=raw{cseq}\r\n" +
            $"To: <sip:{user}@{PlatformFixture.Domain}>\r\n" +
            $"Call-ID: {_callId}\r\nCSeq: {cseq} REGISTER\r\n" + contactLines +
            (expires is null ? "" : $"Expires: {expires}\r\n") +
            "Supported: path\r\n" + authorization +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        _last = request;
        phone.Send(request, proxy);
        return await phone.ReceiveUntilAsync("SIP/2.0 ", TimeSpan.FromSeconds(10))
               ?? throw new TimeoutException($"No answer to REGISTER CSeq {cseq}");
    }

    private string? _last;

    /// <summary>Sends the last REGISTER again, byte for byte (a retransmission), and returns the answer.</summary>
    public async Task<string> ResendLastAsync()
    {
        phone.Send(_last ?? throw new InvalidOperationException("Nothing sent yet."), proxy);
        return await phone.ReceiveUntilAsync("SIP/2.0 ", TimeSpan.FromSeconds(10))
               ?? throw new TimeoutException("No answer to the retransmitted REGISTER");
    }

    public void Dispose() => phone.Dispose();

    [GeneratedRegex("""realm="(?<realm>[^"]+)", nonce="(?<nonce>[^"]+)", algorithm=(?<alg>SHA-256)""")]
    private static partial Regex Sha256Challenge();

    [GeneratedRegex("""realm="(?<realm>[^"]+)", nonce="(?<nonce>[^"]+)", algorithm=(?<alg>MD5)""")]
    private static partial Regex Md5Challenge();
}
