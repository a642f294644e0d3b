namespace VoipPlatform.Sip.Messages;

/// <summary>Status codes the core and its routing policies generate, with their RFC 3261 reason phrases.</summary>
public static class SipStatus
{
    /// <summary>100 Trying.</summary>
    public const int Trying = 100;
    /// <summary>200 OK.</summary>
    public const int Ok = 200;
    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;
    /// <summary>401 Unauthorized.</summary>
    public const int Unauthorized = 401;
    /// <summary>403 Forbidden.</summary>
    public const int Forbidden = 403;
    /// <summary>404 Not Found.</summary>
    public const int NotFound = 404;
    /// <summary>407 Proxy Authentication Required.</summary>
    public const int ProxyAuthenticationRequired = 407;
    /// <summary>408 Request Timeout.</summary>
    public const int RequestTimeout = 408;
    /// <summary>416 Unsupported URI Scheme.</summary>
    public const int UnsupportedUriScheme = 416;
    /// <summary>420 Bad Extension.</summary>
    public const int BadExtension = 420;
    /// <summary>423 Interval Too Brief.</summary>
    public const int IntervalTooBrief = 423;
    /// <summary>430 Flow Failed (RFC 5626 section 11.5): the flow a flow token names is gone.</summary>
    public const int FlowFailed = 430;
    /// <summary>480 Temporarily Unavailable.</summary>
    public const int TemporarilyUnavailable = 480;
    /// <summary>481 Call/Transaction Does Not Exist.</summary>
    public const int TransactionDoesNotExist = 481;
    /// <summary>482 Loop Detected.</summary>
    public const int LoopDetected = 482;
    /// <summary>483 Too Many Hops.</summary>
    public const int TooManyHops = 483;
    /// <summary>486 Busy Here.</summary>
    public const int BusyHere = 486;
    /// <summary>487 Request Terminated.</summary>
    public const int RequestTerminated = 487;
    /// <summary>500 Server Internal Error.</summary>
    public const int ServerInternalError = 500;
    /// <summary>502 Bad Gateway.</summary>
    public const int BadGateway = 502;
    /// <summary>503 Service Unavailable.</summary>
    public const int ServiceUnavailable = 503;
    /// <summary>505 Version Not Supported.</summary>
    public const int VersionNotSupported = 505;
    /// <summary>603 Decline.</summary>
    public const int Decline = 603;

    /// <summary>The RFC 3261 reason phrase of a status code the core generates.</summary>
    public static ReadOnlySpan<byte> ReasonPhrase(int status) => status switch
    {
        Trying => "Trying"u8,
        Ok => "OK"u8,
        BadRequest => "Bad Request"u8,
        Unauthorized => "Unauthorized"u8,
        Forbidden => "Forbidden"u8,
        NotFound => "Not Found"u8,
        ProxyAuthenticationRequired => "Proxy Authentication Required"u8,
        RequestTimeout => "Request Timeout"u8,
        UnsupportedUriScheme => "Unsupported URI Scheme"u8,
        BadExtension => "Bad Extension"u8,
        IntervalTooBrief => "Interval Too Brief"u8,
        TemporarilyUnavailable => "Temporarily Unavailable"u8,
        FlowFailed => "Flow Failed"u8,
        BusyHere => "Busy Here"u8,
        TransactionDoesNotExist => "Call/Transaction Does Not Exist"u8,
        LoopDetected => "Loop Detected"u8,
        TooManyHops => "Too Many Hops"u8,
        RequestTerminated => "Request Terminated"u8,
        ServerInternalError => "Server Internal Error"u8,
        BadGateway => "Bad Gateway"u8,
        ServiceUnavailable => "Service Unavailable"u8,
        VersionNotSupported => "Version Not Supported"u8,
        Decline => "Decline"u8,
        _ => "Unknown"u8,
    };
}
