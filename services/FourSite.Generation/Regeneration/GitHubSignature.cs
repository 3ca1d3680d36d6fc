using System.Security.Cryptography;
using System.Text;

namespace FourSite.Generation.Regeneration;

/// <summary>GitHub's webhook signature: <c>X-Hub-Signature-256: sha256={hex HMAC-SHA256 of the raw body}</c>, compared in constant time.</summary>
public static class GitHubSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static bool IsValid(string? secret, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(secret) || header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
