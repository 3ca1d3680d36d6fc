namespace FourSite.Leads.Capture;

/// <summary>A lead as owners and operators see it (a class: Dapper fills PostgreSQL arrays through properties).</summary>
public sealed class LeadRow
{
    public const string Columns = """
        id AS LeadId, site_id AS SiteId, email, lead_score AS LeadScore, newsletter_opt_in AS NewsletterOptIn,
        project_interests AS ProjectInterests, social_platforms AS SocialPlatforms, risk_flags AS RiskFlags,
        capture_count AS CaptureCount, captured_at AS CapturedAt, updated_at AS UpdatedAt
        """;

    public Guid LeadId { get; init; }
    public Guid SiteId { get; init; }
    public string Email { get; init; } = "";
    public int LeadScore { get; init; }
    public bool NewsletterOptIn { get; init; }
    public string[] ProjectInterests { get; init; } = [];
    public string[] SocialPlatforms { get; init; } = [];
    public string[] RiskFlags { get; init; } = [];
    public int CaptureCount { get; init; }
    public DateTime CapturedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
