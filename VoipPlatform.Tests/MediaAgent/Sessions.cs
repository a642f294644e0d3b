using System.Globalization;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>SDP for sessions the tests create through ng, as a phone behind the proxy would offer and answer them.</summary>
public static class Sessions
{
    /// <summary>An audio offer or answer from 127.0.0.1:<paramref name="port"/> (PCMU).</summary>
    public static string Sdp(int port) =>
        "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {port.ToString(CultureInfo.InvariantCulture)} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    /// <summary>The media port of an SDP's first audio line.</summary>
    public static int MediaPort(string sdp) =>
        int.Parse(sdp.Split("\r\n").Single(line => line.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);

    /// <summary>A Call-ID no other test uses.</summary>
    public static string NewCallId() => $"{Guid.NewGuid():N}@media-agent-test";
}
