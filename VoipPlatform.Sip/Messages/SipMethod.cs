namespace VoipPlatform.Sip.Messages;

/// <summary>The request methods the core treats specially; any other is <see cref="Other"/>.</summary>
public enum SipMethod : byte
{
    /// <summary>An extension method, relayed as is (its name stays in the message bytes).</summary>
    Other = 0,
    /// <summary>INVITE.</summary>
    Invite,
    /// <summary>ACK.</summary>
    Ack,
    /// <summary>BYE.</summary>
    Bye,
    /// <summary>CANCEL.</summary>
    Cancel,
    /// <summary>REGISTER.</summary>
    Register,
    /// <summary>OPTIONS.</summary>
    Options,
}

/// <summary>Conversions between method names on the wire and <see cref="SipMethod"/>.</summary>
public static class SipMethods
{
    /// <summary>Classifies a method token. Methods are case-sensitive in SIP (RFC 3261 section 7.1).</summary>
    public static SipMethod Classify(ReadOnlySpan<byte> token) => token switch
    {
        _ when token.SequenceEqual("INVITE"u8) => SipMethod.Invite,
        _ when token.SequenceEqual("ACK"u8) => SipMethod.Ack,
        _ when token.SequenceEqual("BYE"u8) => SipMethod.Bye,
        _ when token.SequenceEqual("CANCEL"u8) => SipMethod.Cancel,
        _ when token.SequenceEqual("REGISTER"u8) => SipMethod.Register,
        _ when token.SequenceEqual("OPTIONS"u8) => SipMethod.Options,
        _ => SipMethod.Other,
    };

    /// <summary>The wire name of a known method.</summary>
    public static ReadOnlySpan<byte> Name(SipMethod method) => method switch
    {
        SipMethod.Invite => "INVITE"u8,
        SipMethod.Ack => "ACK"u8,
        SipMethod.Bye => "BYE"u8,
        SipMethod.Cancel => "CANCEL"u8,
        SipMethod.Register => "REGISTER"u8,
        SipMethod.Options => "OPTIONS"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Extension methods have no fixed name."),
    };

    /// <summary>True when every byte is an RFC 3261 <c>token</c> character.</summary>
    public static bool IsToken(ReadOnlySpan<byte> s) => !s.IsEmpty && !s.ContainsAnyExcept(TokenCharacters);

    // alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" (RFC 3261 section 25.1), vectorized lookup.
    private static readonly System.Buffers.SearchValues<byte> TokenCharacters = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);
}
