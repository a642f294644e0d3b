namespace VoipPlatform.Router.Registrar;

/// <summary>One registered contact of a user (RFC 3261 section 10), as stored in Redis.</summary>
/// <param name="Contact">The Contact URI.</param>
/// <param name="Path">The Path URIs the REGISTER carried (RFC 3327): the route back to the UA.</param>
/// <param name="ExpiresAt">When the binding lapses (Unix seconds).</param>
/// <param name="CallId">Call-ID of the REGISTER that made or refreshed it.</param>
/// <param name="CSeq">Its CSeq number.</param>
public sealed record Binding(string Contact, IReadOnlyList<string> Path, long ExpiresAt, string CallId, long CSeq)
{
    /// <summary>Seconds left at <paramref name="now"/>.</summary>
    public long SecondsLeft(DateTimeOffset now) => Math.Max(0, ExpiresAt - now.ToUnixTimeSeconds());
}
