namespace VoipPlatform.Contracts.Users;

/// <summary>
/// What the registrar needs to verify a digest response for user@domain, from
/// <c>GET /v1/domains/{domain}/users/{user}/credentials</c>. Only HA1 digests exist; the password is never stored.
/// </summary>
/// <param name="User">User part (extension).</param>
/// <param name="Domain">The realm.</param>
/// <param name="Ha1Md5">Lower-case hex MD5(user:realm:password) (RFC 2617).</param>
/// <param name="Ha1Sha256">Lower-case hex SHA-256(user:realm:password) (RFC 8760).</param>
/// <param name="Enabled">False when the user may neither register nor call.</param>
public sealed record UserCredentials(string User, string Domain, string Ha1Md5, string Ha1Sha256, bool Enabled);
