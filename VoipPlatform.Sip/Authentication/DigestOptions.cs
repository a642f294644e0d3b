namespace VoipPlatform.Sip.Authentication;

/// <summary>Digest authentication settings. Bound from <c>Sip:Digest</c>.</summary>
public sealed class DigestOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sip:Digest";

    /// <summary>
    /// Secret for the nonce HMAC, at least 32 bytes as base64. Every replica must share it so that any replica can
    /// verify a nonce another issued. Required: there is no default, a missing secret fails start-up.
    /// </summary>
    public string NonceSecret { get; set; } = string.Empty;

    /// <summary>How long a nonce is accepted; after that the answer is a new challenge with <c>stale=true</c>.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Algorithms offered in challenges, most preferred first (one challenge header each, RFC 8760 section 2.4).
    /// Empty means <see cref="DefaultAlgorithms"/>. (Empty rather than pre-filled because configuration binding
    /// appends to an array that already holds values.)
    /// </summary>
    public DigestAlgorithm[] Algorithms { get; set; } = [];

    /// <summary>SHA-256 first, then MD5 for the clients that know nothing else.</summary>
    public static IReadOnlyList<DigestAlgorithm> DefaultAlgorithms { get; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    /// <summary>What is offered: <see cref="Algorithms"/>, or the defaults when none are configured.</summary>
    public IReadOnlyList<DigestAlgorithm> EffectiveAlgorithms => Algorithms.Length > 0 ? Algorithms : DefaultAlgorithms;

    /// <summary>Nonces whose nonce-count is remembered for replay protection (per process); oldest forgotten first.</summary>
    public int MaxTrackedNonces { get; set; } = 100_000;
}
