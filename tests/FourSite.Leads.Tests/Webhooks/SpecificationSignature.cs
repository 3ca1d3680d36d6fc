using System.Security.Cryptography;
using System.Text;
using FourSite.Testing.Fakes;

namespace FourSite.Leads.Tests.Webhooks;

/// <summary>
/// Signature verification written from the Standard Webhooks specification alone, sharing nothing with the sender: the
/// secret is <c>whsec_</c> + base64 key; the signed content is <c>{id}.{timestamp}.{body}</c>; the header lists
/// space-separated <c>v1,{base64 HMAC-SHA256}</c> signatures, any one of which may match.
/// </summary>
public static class SpecificationSignature
{
    public static bool Verifies(string secret, ReceivedWebhook webhook)
    {
        if (webhook.Id is null || webhook.Timestamp is null || webhook.Signature is null)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.{webhook.Body}"));
        return webhook.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(signature => signature.StartsWith("v1,", StringComparison.Ordinal))
            .Select(signature => Decode(signature[3..]))
            .Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected));
    }

    private static byte[] Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>Whether the timestamp is within the specification's suggested five minutes of now (replay protection).</summary>
    public static bool IsFresh(ReceivedWebhook webhook) =>
        long.TryParse(webhook.Timestamp, out var seconds) && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) <= 300;
}
