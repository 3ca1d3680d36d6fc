namespace FourSite.Leads.Webhooks;

/// <summary>The events a webhook can subscribe to, and the one every webhook can be sent on demand.</summary>
public static class WebhookEventTypes
{
    public const string LeadCaptured = "lead.captured";
    public const string LeadErased = "lead.erased";
    public const string ShareMilestone = "share.milestone";
    public const string SiteFeatured = "site.featured";
    public const string SiteUpgraded = "site.upgraded";
    public const string SiteRegenerated = "site.regenerated";
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Subscribable = [LeadCaptured, LeadErased, ShareMilestone, SiteFeatured, SiteUpgraded, SiteRegenerated];
}
