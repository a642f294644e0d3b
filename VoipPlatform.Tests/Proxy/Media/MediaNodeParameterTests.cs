using System.Net;
using System.Text;
using VoipPlatform.Proxy.Media;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Tests.Proxy.Media;

/// <summary>The media node written into Record-Route comes back from a Route entry as the same node, IPv4 or IPv6.</summary>
public sealed class MediaNodeParameterTests
{
    [Theory]
    [InlineData("10.0.0.5", 2223, false)]
    [InlineData("fd00::5", 2223, false)]
    [InlineData("::1", 22222, true)]
    [InlineData("2001:db8:0:1::a:b", 1, true)]
    public void A_node_written_into_a_route_uri_reads_back_as_the_same_node(string address, int port, bool outbound)
    {
        var node = new IPEndPoint(IPAddress.Parse(address), port);
        string parameter = MediaNodeParameter.Format(node, outbound);

        SipUri uri = SipUri.Parse(Encoding.ASCII.GetBytes($"sip:192.0.2.1:5060;lr;{parameter};vp-tc=00-ab-cd-01"));

        Assert.True(uri.IsValid, parameter);
        ReadOnlySpan<byte> value = uri.Parameter(outbound ? MediaNodeParameter.OutboundName : MediaNodeParameter.InboundName);
        Assert.True(MediaNodeParameter.TryParse(value, out IPEndPoint? read), parameter);
        Assert.Equal(node, read);
        Assert.True(uri.Parameter(outbound ? MediaNodeParameter.InboundName : MediaNodeParameter.OutboundName).IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.5")]
    [InlineData("~2223")]
    [InlineData("10.0.0.5~0")]
    [InlineData("10.0.0.5~65536")]
    [InlineData("10.0.0.5~22x")]
    [InlineData("not-an-address~2223")]
    public void A_value_that_names_no_node_is_refused(string value) =>
        Assert.False(MediaNodeParameter.TryParse(Encoding.ASCII.GetBytes(value), out _));
}
