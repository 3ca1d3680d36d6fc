namespace FourSite.Leads.Webhooks;

/// <summary>A webhook as its owner sees it (never its secret).</summary>
public sealed class Webhook
{
    public const string Columns = """
        id AS WebhookId, site_id AS SiteId, url, events, enabled, disabled_reason AS DisabledReason, disabled_at AS DisabledAt,
        failing_since AS FailingSince, created_at AS CreatedAt
        """;

    public Guid WebhookId { get; init; }
    public Guid SiteId { get; init; }
    public string Url { get; init; } = "";
    public string[] Events { get; init; } = [];
    public bool Enabled { get; init; }
    public string? DisabledReason { get; init; }
    public DateTime? DisabledAt { get; init; }
    public DateTime? FailingSince { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>One event's delivery to one webhook, with every attempt.</summary>
public sealed record WebhookDelivery(
    Guid DeliveryId,
    string Event,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<WebhookAttempt> AttemptLog);

/// <summary>What one attempt got: the status code (none when no answer came), how long it took, and why it failed.</summary>
public sealed record WebhookAttempt(DateTimeOffset AttemptedAt, int? StatusCode, double LatencyMs, string? Error);
