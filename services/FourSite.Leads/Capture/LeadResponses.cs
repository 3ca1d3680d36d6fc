using System.Text.Json.Serialization;
using FourSite.Leads.Scoring;
using FourSite.Leads.Subscriptions;

namespace FourSite.Leads.Capture;

/// <summary>The answer to a capture: 201 for a new lead, 200 with <see cref="Duplicate"/> for a repeat merged into it.</summary>
public sealed record CaptureResponse(bool Success, Guid LeadId, int LeadScore, ScoreBreakdown ScoreBreakdown, bool? Duplicate = null);

/// <summary>A lead in the owner's list and in a GDPR export (which adds the person's <see cref="Subscription"/> to the site, with its consent).</summary>
public sealed record LeadView(
    Guid LeadId,
    Guid SiteId,
    string Email,
    int LeadScore,
    bool NewsletterOptIn,
    IReadOnlyList<string> ProjectInterests,
    IReadOnlyList<string> SocialPlatforms,
    IReadOnlyList<string> RiskFlags,
    int CaptureCount,
    DateTimeOffset CapturedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubscriptionRecord? Subscription { get; init; }
}
