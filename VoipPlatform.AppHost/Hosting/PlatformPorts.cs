namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Every fixed port of the platform, in one place. SIP and RTP endpoints are not proxied by
/// Aspire (UDP, and phones must see the real port), so these are the ports processes bind.
/// The README's port table mirrors this file.
/// </summary>
internal static class PlatformPorts
{
    /// <summary>Loopback address local executables bind to: only loopback may be used here.</summary>
    public const string LoopbackAddress = "127.0.0.1";

    public const int ProxySip = 5060;

    /// <summary>SIP over WebSocket (RFC 7118) at the edge, for browsers (RFC 7118 names no default; FreeSWITCH's).</summary>
    public const int ProxySipWebSocket = 5066;
    public const int RouterSip = 5070;
    public const int RouterSip2 = 5071;
    public const int AsteriskSip = 5080;

    /// <summary>Not Redis' default 6379, so a system redis-server on the same machine does not collide.</summary>
    public const int Redis = 6380;

    public const int RtpEngineNg = 2223;
    public const int RtpPortMin = 30000;
    public const int RtpPortMax = 30999;

    public const int ConsulHttp = 8500;
    public const int ConsulDns = 8600;
}

/// <summary>Endpoint names other resources reference (e.g. <c>services__router__sip__0</c>).</summary>
internal static class PlatformEndpoints
{
    public const string Sip = "sip";

    /// <summary>The edge's SIP over WebSocket endpoint.</summary>
    public const string SipWebSocket = "sipWs";
    public const string Http = "http";
    public const string Tcp = "tcp";
    public const string Ng = "ng";
    public const string Dns = "dns";
}
