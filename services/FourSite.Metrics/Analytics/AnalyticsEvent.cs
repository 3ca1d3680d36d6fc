using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Leads;
using FourSite.Contracts.Viral;

namespace FourSite.Metrics.Analytics;

/// <summary>A business event as the dashboards read it: its type, the site and session it concerns, and a few properties.</summary>
public sealed record AnalyticsEvent(string Type, Guid? SiteId, string? SessionId, IReadOnlyDictionary<string, object?> Properties, DateTimeOffset OccurredAt);

/// <summary>The analytics record of each business event. Personal data (emails, person hashes) never enters it.</summary>
public static class AnalyticsEvents
{
    public const string GenerationStarted = "generation_started";
    public const string GenerationCompleted = "generation_completed";
    public const string GenerationFailed = "generation_failed";
    public const string LeadCaptured = "lead_captured";
    public const string LeadErased = "lead_erased";
    public const string SubscriptionConfirmed = "subscription_confirmed";
    public const string ShareTracked = "share_tracked";
    public const string SiteFeatured = "site_featured";
    public const string SiteUpgraded = "site_upgraded";
    public const string SiteRemoved = "site_removed";
    public const string SiteRegenerated = "site_regenerated";
    public const string AccountSignedUp = "account_signed_up";

    /// <summary>SQL over <c>analytics_events</c>: signups, the GitHub accounts that signed in for the first time (dashboard and alert alike).</summary>
    public const string SignupsSql = "count(*) FILTER (WHERE event_type = 'account_signed_up')";

    public static AnalyticsEvent From(AccountSignedUp message) =>
        new(AccountSignedUp, null, null, new Dictionary<string, object?> { ["accountId"] = message.AccountId }, message.SignedUpAt);

    public static AnalyticsEvent From(GenerationStarted message) =>
        new(GenerationStarted, null, null, new Dictionary<string, object?> { ["jobId"] = message.JobId, ["repo"] = $"{message.RepoOwner}/{message.RepoName}" }, message.StartedAt);

    public static AnalyticsEvent From(SiteGenerated message) =>
        new(GenerationCompleted, message.SiteId, null, new Dictionary<string, object?>
        {
            ["jobId"] = message.JobId,
            ["ownerId"] = message.OwnerId,
            ["accountId"] = message.AccountId,
            ["model"] = message.Model,
            ["fallbackUsed"] = message.FallbackUsed,
            ["generationTimeMs"] = message.GenerationTimeMs,
            ["projectType"] = message.ProjectType,
            ["template"] = message.Template,
        }, message.CreatedAt);

    public static AnalyticsEvent From(GenerationFailed message) =>
        new(GenerationFailed, null, null, new Dictionary<string, object?> { ["jobId"] = message.JobId, ["code"] = message.Code }, message.FailedAt);

    public static AnalyticsEvent From(LeadCaptured message) =>
        new(LeadCaptured, message.SiteId, message.SessionId, new Dictionary<string, object?>
        {
            ["leadId"] = message.LeadId,
            ["leadScore"] = message.LeadScore,
            ["duplicate"] = message.Duplicate,
            ["newsletterOptIn"] = message.NewsletterOptIn,
            ["projectType"] = message.ProjectType,
            ["deviceType"] = message.DeviceType,
            ["referred"] = message.ReferralCode is not null,
        }, message.CapturedAt);

    public static AnalyticsEvent From(LeadErased message) =>
        new(LeadErased, null, null, new Dictionary<string, object?> { ["leadsErased"] = message.LeadsErased }, message.ErasedAt);

    public static AnalyticsEvent From(SubscriptionConfirmed message) =>
        new(SubscriptionConfirmed, message.SiteId, null, new Dictionary<string, object?> { ["subscriptionId"] = message.SubscriptionId }, message.ConfirmedAt);

    public static AnalyticsEvent From(ShareTracked message) =>
        new(ShareTracked, message.SiteId, null, new Dictionary<string, object?>
        {
            ["shareId"] = message.ShareId,
            ["platform"] = message.Platform,
            ["viralScore"] = message.ViralScore,
            ["referred"] = message.ReferralCode is not null,
        }, message.TrackedAt);

    public static AnalyticsEvent From(SiteFeatured message) =>
        new(SiteFeatured, message.SiteId, null, new Dictionary<string, object?> { ["viralScore"] = message.ViralScore, ["threshold"] = message.Threshold }, message.FeaturedAt);

    public static AnalyticsEvent From(SiteRegenerated message) =>
        new(SiteRegenerated, message.SiteId, null, new Dictionary<string, object?> { ["reason"] = message.Reason }, message.RegeneratedAt);

    public static AnalyticsEvent From(SiteRemoved message) =>
        new(SiteRemoved, message.SiteId, null, new Dictionary<string, object?>(), message.RemovedAt);

    public static AnalyticsEvent From(SiteUpgraded message) =>
        new(SiteUpgraded, message.SiteId, null, new Dictionary<string, object?>
        {
            ["ownerId"] = message.OwnerId,
            ["plan"] = message.Plan,
            ["amountCents"] = message.AmountCents,
            ["currency"] = message.Currency,
            ["commissionCents"] = message.CommissionCents,
        }, message.UpgradedAt);
}
