using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Access;

/// <summary>Reading and comparing secrets: constant-time, by hash, never logged.</summary>
public static class Credentials
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>SHA-256 of a secret, lower-case hex: how owner tokens are stored and shared between services.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two secrets (or two hashes) in time that does not depend on where they differ.</summary>
    public static bool SecretEquals(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        // Hashing first gives equal lengths, so even the length of the secret does not leak.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }
}
