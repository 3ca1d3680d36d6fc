namespace FourSite.Viral.Billing;

/// <summary>Stripe settings (section <c>FourSite:Stripe</c>). Without a secret key, billing is off and says so.</summary>
public sealed class BillingOptions
{
    public const string Section = "FourSite:Stripe";

    /// <summary>Stripe's API base address; a local fake in tests.</summary>
    public string ApiUrl { get; set; } = "https://api.stripe.com";

    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>), without which no webhook is believed.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The public origin the buyer returns to after checkout (never taken from the request).</summary>
    public string ReturnUrl { get; set; } = "http://localhost:8080";

    public bool CheckoutConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    public bool WebhookConfigured => !string.IsNullOrWhiteSpace(WebhookSecret);
}
