using System.Net;
using VoipPlatform.Sip.Transport;

namespace VoipPlatform.Tests.Sip.Transport;

public class EgressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.4.5.6", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("8.8.8.8", false)]
    public void Empty_list_means_loopback_only(string address, bool allowed) =>
        Assert.Equal(allowed, new EgressPolicy([]).Allows(IPAddress.Parse(address)));

    [Fact]
    public void Configured_networks_replace_the_loopback_default()
    {
        var policy = new EgressPolicy(["10.0.0.0/8"]);
        Assert.True(policy.Allows(IPAddress.Parse("10.1.2.3")));
        Assert.False(policy.Allows(IPAddress.Loopback));
    }

    [Fact]
    public void A_bad_entry_fails_loudly_with_the_setting_name()
    {
        var error = Assert.Throws<FormatException>(() => new EgressPolicy(["not-a-network"]));
        Assert.Contains("Sip:EgressAllowList", error.Message);
    }
}
