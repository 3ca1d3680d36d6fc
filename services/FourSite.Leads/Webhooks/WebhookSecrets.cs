using System.Security.Cryptography;

namespace FourSite.Leads.Webhooks;

/// <summary>Signing secrets as Standard Webhooks writes them: <c>whsec_</c> and 24 random bytes in base64 (the HMAC key).</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
