using System.Security.Cryptography;
using FourSite.ServiceDefaults.Access;

namespace FourSite.Generation.Ownership;

/// <summary>
/// The bearer token that proves ownership of one site. It is handed out once, to whoever generated the site; only its
/// SHA-256 hash is stored and shared with other services.
/// </summary>
public static class OwnerToken
{
    public static (string Token, string Hash) Create()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Credentials.Hash(token));
    }

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
