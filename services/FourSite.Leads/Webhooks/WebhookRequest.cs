using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Leads.Webhooks;

/// <summary>The body of <c>POST /api/sites/{siteId}/webhooks</c>.</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);

/// <summary>A new webhook, with its signing secret: shown this once.</summary>
public sealed record CreatedWebhook(Guid WebhookId, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);

/// <summary>A rotated secret: the new one signs from now on, the old one beside it until <see cref="PreviousSecretExpiresAt"/>.</summary>
public sealed record RotatedSecret(Guid WebhookId, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>A webhook in its site's list.</summary>
public sealed record WebhookView(
    Guid WebhookId,
    string Url,
    IReadOnlyList<string> Events,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt)
{
    public static WebhookView Of(Webhook webhook) => new(
        webhook.WebhookId, webhook.Url, webhook.Events, webhook.Enabled, webhook.DisabledReason, Utc(webhook.DisabledAt), Utc(webhook.FailingSince), Utc(webhook.CreatedAt));
}
