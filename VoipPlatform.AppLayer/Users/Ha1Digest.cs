using System.Security.Cryptography;
using System.Text;

namespace VoipPlatform.AppLayer.Users;

/// <summary>
/// HA1 = H(user:realm:password), lower-case hex: what the registrar needs to check a digest response, computed once
/// when a password is set so the password itself is never stored. Both algorithms, because RFC 8760 phones offer
/// SHA-256 and older ones only MD5. The realm is the domain.
/// </summary>
public static class Ha1Digest
{
    public static string Md5(string user, string realm, string password) =>
        Convert.ToHexStringLower(MD5.HashData(Input(user, realm, password)));

    public static string Sha256(string user, string realm, string password) =>
        Convert.ToHexStringLower(SHA256.HashData(Input(user, realm, password)));

    private static byte[] Input(string user, string realm, string password) => Encoding.UTF8.GetBytes($"{user}:{realm}:{password}");
}
