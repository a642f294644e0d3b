namespace VoipPlatform.Sip.Authentication;

/// <summary>Digest hash algorithms: RFC 2617 MD5 and RFC 8760 SHA-256 (neither in their -sess variants).</summary>
public enum DigestAlgorithm
{
    /// <summary>MD5 (RFC 2617), what most SIP phones still send.</summary>
    Md5,
    /// <summary>SHA-256 (RFC 8760).</summary>
    Sha256,
}
