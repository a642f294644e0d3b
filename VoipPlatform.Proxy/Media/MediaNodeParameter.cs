using System.Globalization;
using System.Net;
using System.Text;

namespace VoipPlatform.Proxy.Media;

/// <summary>
/// The Record-Route parameter that names a call's media node (<c>vp-m=10.0.0.5~2223</c>): the dialog's later requests
/// bring it back in their Route, so any proxy replica sends the re-INVITE or BYE to the RTPEngine that holds the call,
/// without shared memory. The port follows a <c>~</c>, a token character, because <c>:</c> is not one.
/// </summary>
internal static class MediaNodeParameter
{
    public const string Name = "vp-m";

    public static ReadOnlySpan<byte> NameBytes => "vp-m"u8;

    /// <summary><c>vp-m=ip~port</c> for IPv4 nodes; null for others (their calls then cannot move between replicas).</summary>
    public static string? Format(IPEndPoint node) =>
        node.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? $"{Name}={node.Address}~{node.Port.ToString(CultureInfo.InvariantCulture)}"
            : null;

    public static bool TryParse(ReadOnlySpan<byte> value, out IPEndPoint? node)
    {
        node = null;
        int tilde = value.IndexOf((byte)'~');
        if (tilde <= 0) return false;
        if (!IPAddress.TryParse(Encoding.ASCII.GetString(value[..tilde]), out IPAddress? address)
            || !int.TryParse(value[(tilde + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
        {
            return false;
        }
        node = new IPEndPoint(address, port);
        return true;
    }
}
