using FourSite.Contracts.Viral;
using MassTransit;

namespace FourSite.Leads.Webhooks;

/// <summary>Tells the site's webhooks that it joined the showcase (once, ever).</summary>
public sealed class SiteFeaturedConsumer(WebhookEvents events) : IConsumer<SiteFeatured>
{
    public Task Consume(ConsumeContext<SiteFeatured> context)
    {
        var featured = context.Message;
        return events.RecordAsync(featured.SiteId, WebhookEventTypes.SiteFeatured, WebhookEventTypes.SiteFeatured, featured.FeaturedAt,
            new { siteId = featured.SiteId, viralScore = featured.ViralScore, threshold = featured.Threshold }, context.CancellationToken);
    }
}
