using System.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>One Via entry: <c>SIP/2.0/UDP host[:port];params</c> (RFC 3261 section 20.42).</summary>
public readonly ref struct ViaValue
{
    /// <summary>The RFC 3261 branch prefix that marks a globally unique branch.</summary>
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    private ViaValue(ReadOnlySpan<byte> transport, ReadOnlySpan<byte> host, int port, ReadOnlySpan<byte> parameters)
    {
        IsValid = true;
        Transport = transport;
        Host = host;
        Port = port;
        ParameterList = parameters;
    }

    /// <summary>False when the entry could not be parsed.</summary>
    public bool IsValid { get; }

    /// <summary>The transport token (UDP, TCP, TLS, WS...).</summary>
    public ReadOnlySpan<byte> Transport { get; }

    /// <summary>The sent-by host.</summary>
    public ReadOnlySpan<byte> Host { get; }

    /// <summary>The sent-by port, 0 when absent.</summary>
    public int Port { get; }

    /// <summary>The parameters after the sent-by, without the leading semicolon.</summary>
    public ReadOnlySpan<byte> ParameterList { get; }

    /// <summary>True when every parameter has a token name (no empty <c>;;</c> items).</summary>
    public bool HasWellFormedParameters => Parameters.IsWellFormed(ParameterList);

    /// <summary>The branch parameter.</summary>
    public ReadOnlySpan<byte> Branch => Parameters.Get(ParameterList, "branch"u8);

    /// <summary>True when the branch starts with the RFC 3261 magic cookie.</summary>
    public bool HasRfc3261Branch => Branch.StartsWith(MagicCookie);

    /// <summary>The received parameter (RFC 3261 section 18.2.1).</summary>
    public ReadOnlySpan<byte> Received => Parameters.Get(ParameterList, "received"u8);

    /// <summary>True when an rport parameter is present, with or without a value (RFC 3581).</summary>
    public bool HasRport => Parameters.TryGet(ParameterList, "rport"u8, out _);

    /// <summary>The rport value, 0 when absent or empty.</summary>
    public int Rport => Parameters.TryGet(ParameterList, "rport"u8, out var v) && SipSyntax.TryParseNonNegative(v, out long p) && p is > 0 and <= 65535 ? (int)p : 0;

    /// <summary>Parses one Via entry (not a comma-separated list).</summary>
    public static ViaValue Parse(ReadOnlySpan<byte> value)
    {
        value = SipSyntax.Trim(value);
        // sent-protocol: SIP / 2.0 / transport, with optional LWS around the slashes.
        int slash1 = value.IndexOf((byte)'/');
        if (slash1 < 0 || !Ascii.EqualsIgnoreCase(SipSyntax.Trim(value[..slash1]), "SIP"u8)) return default;
        ReadOnlySpan<byte> rest = value[(slash1 + 1)..];
        int slash2 = rest.IndexOf((byte)'/');
        // Any version is read (a SIP/7.0 request must still be answered 505 through its Via).
        if (slash2 < 0 || SipSyntax.Trim(rest[..slash2]).IsEmpty) return default;
        rest = SipSyntax.Trim(rest[(slash2 + 1)..]);

        int space = rest.IndexOfAny((byte)' ', (byte)'\t', (byte)'\r');
        if (space <= 0) return default;
        ReadOnlySpan<byte> transport = rest[..space];
        rest = SipSyntax.Trim(rest[space..]);

        int semi = rest.IndexOf((byte)';');
        ReadOnlySpan<byte> sentBy = semi < 0 ? rest : rest[..semi];
        ReadOnlySpan<byte> parameters = semi < 0 ? default : rest[(semi + 1)..];
        if (!HostPort.TrySplit(sentBy, out var host, out int port)) return default;
        return new ViaValue(transport, host, port, parameters);
    }
}
