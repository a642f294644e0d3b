namespace VoipPlatform.RtpEngine.Ng;

/// <summary>How the ng client waits and retries.</summary>
public sealed class NgClientOptions
{
    /// <summary>How long to wait for a reply before sending the same bytes again.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a request is sent before giving up.</summary>
    public int Tries { get; set; } = 5;

    /// <summary>UDP (the default, RTPEngine's <c>--listen-ng</c>) or TCP (<c>--listen-tcp-ng</c>).</summary>
    public NgTransport Transport { get; set; } = NgTransport.Udp;
}
