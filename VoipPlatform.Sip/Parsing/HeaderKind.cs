namespace VoipPlatform.Sip.Parsing;

/// <summary>The headers the SIP core looks at. Everything else is <see cref="Other"/> and is relayed byte for byte.</summary>
public enum HeaderKind : byte
{
    /// <summary>A header the core does not interpret.</summary>
    Other = 0,
    /// <summary>Via (compact form <c>v</c>).</summary>
    Via,
    /// <summary>From (compact form <c>f</c>).</summary>
    From,
    /// <summary>To (compact form <c>t</c>).</summary>
    To,
    /// <summary>Call-ID (compact form <c>i</c>).</summary>
    CallId,
    /// <summary>CSeq.</summary>
    CSeq,
    /// <summary>Max-Forwards.</summary>
    MaxForwards,
    /// <summary>Route.</summary>
    Route,
    /// <summary>Record-Route.</summary>
    RecordRoute,
    /// <summary>Contact (compact form <c>m</c>).</summary>
    Contact,
    /// <summary>Content-Length (compact form <c>l</c>).</summary>
    ContentLength,
    /// <summary>Content-Type (compact form <c>c</c>).</summary>
    ContentType,
    /// <summary>Proxy-Require: extensions every proxy must support (RFC 3261 section 20.29).</summary>
    ProxyRequire,
    /// <summary>The platform's own header carrying W3C trace context between services.</summary>
    TraceParent,
}
