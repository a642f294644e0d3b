using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Messages;

/// <summary>One header line of a parsed message: its kind and where its name and value lie in the buffer.</summary>
/// <param name="Kind">What the core knows the header as.</param>
/// <param name="Name">The name as written (possibly a compact form).</param>
/// <param name="Value">The value, trimmed; it may span folded lines.</param>
/// <param name="Folded">True when the value spans continuation lines (RFC 3261 section 7.3.1).</param>
public readonly record struct HeaderField(HeaderKind Kind, ByteRange Name, ByteRange Value, bool Folded);
