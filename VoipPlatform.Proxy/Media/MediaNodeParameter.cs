using System.Globalization;
using System.Net;
using System.Text;

namespace VoipPlatform.Proxy.Media;

/// <summary>
/// The Record-Route parameter that names a call's media node (<c>vp-m=10.0.0.5~2223</c>): the dialog's later requests
/// bring it back in their Route, so any proxy replica sends the re-INVITE or BYE to the RTPEngine that holds the call,
/// without shared memory. The port follows a <c>~</c> and an IPv6 address has <c>-</c> for <c>:</c>
/// (<c>vp-m=fd00--5~2223</c>), because a parameter value is a token and <c>:</c> is not a token character.
/// </summary>
/// <remarks>
/// A call that leaves the platform (from an application server, through a router, out to a phone) is bridged on its
/// way out, and the entry says so with <c>vp-mo</c> in place of <c>vp-m</c>: requests from the inside that come back
/// to that entry are bridged there too, while on a call bridged on its way in they were bridged already.
/// </remarks>
internal static class MediaNodeParameter
{
    public static ReadOnlySpan<byte> InboundName => "vp-m"u8;

    public static ReadOnlySpan<byte> OutboundName => "vp-mo"u8;

    /// <summary><c>vp-m=node</c>, or <c>vp-mo=node</c> for a call bridged on its way out.</summary>
    public static string Format(IPEndPoint node, bool outbound = false) =>
        $"{(outbound ? "vp-mo" : "vp-m")}={node.Address.ToString().Replace(':', '-')}~{node.Port.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(ReadOnlySpan<byte> value, out IPEndPoint? node)
    {
        node = null;
        int tilde = value.IndexOf((byte)'~');
        if (tilde <= 0) return false;
        if (!IPAddress.TryParse(Encoding.ASCII.GetString(value[..tilde]).Replace('-', ':'), out IPAddress? address)
            || !int.TryParse(value[(tilde + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
        {
            return false;
        }
        node = new IPEndPoint(address, port);
        return true;
    }
}
