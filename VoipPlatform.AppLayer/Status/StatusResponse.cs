namespace VoipPlatform.AppLayer.Status;

/// <summary>Body of <c>GET /v1/status</c>.</summary>
/// <param name="Service">Always <c>applayer</c>.</param>
/// <param name="Version">Assembly informational version.</param>
/// <param name="Redis">Whether Redis answers PING right now.</param>
public sealed record StatusResponse(string Service, string Version, RedisStatus Redis);

/// <param name="Ok">True when Redis answered PING.</param>
/// <param name="LatencyMs">Round trip of the PING (or time spent until it failed).</param>
/// <param name="Error">Why Redis did not answer; null when it did.</param>
public sealed record RedisStatus(bool Ok, double LatencyMs, string? Error);
