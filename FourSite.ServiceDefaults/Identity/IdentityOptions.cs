namespace FourSite.ServiceDefaults.Identity;

/// <summary>
/// How the gateway vouches for a signed-in account to the services (section <c>FourSite:Identity</c>): a key shared by
/// the gateway (which signs) and the services (which validate). Without it, no request carries an account.
/// </summary>
public sealed class IdentityOptions
{
    public const string Section = "FourSite:Identity";

    /// <summary>At least 32 characters; a secret.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a forwarded account token is good for: one request's trip through the gateway, with clock skew to spare.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    public bool IsConfigured => SigningKey is { Length: >= 32 };
}
