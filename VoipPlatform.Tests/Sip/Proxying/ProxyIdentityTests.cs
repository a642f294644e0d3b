using Microsoft.Extensions.Logging.Abstractions;
using VoipPlatform.Sip.Proxying;
using VoipPlatform.Sip.Transport;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Proxying;

public class ProxyIdentityTests
{
    [Fact]
    public async Task A_wildcard_listen_address_without_an_advertised_one_fails_at_start_naming_the_setting()
    {
        var options = new SipTransportOptions { ListenAddress = "0.0.0.0", Port = 0 };
        await using var transport = new UdpSipTransport(options, new EgressPolicy([]), NullLogger<UdpSipTransport>.Instance);
        var error = Assert.Throws<InvalidOperationException>(() => new SipProxyCore(transport, new FixedNextHop(transport.LocalEndPoint),
            new SipProxyOptions { Workers = 1 }, advertisedAddress: null, TimeProvider.System, NullLogger<SipProxyCore>.Instance));
        Assert.Contains("Sip:AdvertisedAddress", error.Message);
    }
}
