using System.Security.Cryptography;
using System.Text;

namespace FourSite.Generation.Owners;

/// <summary>
/// The bearer token that proves ownership of one site. It is handed out once, to whoever generated the site; only its
/// SHA-256 hash is stored and shared with other services.
/// </summary>
public static class OwnerToken
{
    public static (string Token, string Hash) Create()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
