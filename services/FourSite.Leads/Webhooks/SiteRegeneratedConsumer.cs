using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Webhooks;

/// <summary>Tells the site's webhooks that its content was written again (or restored); a repeated message records nothing.</summary>
public sealed class SiteRegeneratedConsumer(WebhookEvents events) : IConsumer<SiteRegenerated>
{
    public Task Consume(ConsumeContext<SiteRegenerated> context)
    {
        var regenerated = context.Message;
        return events.RecordAsync(regenerated.SiteId, WebhookEventTypes.SiteRegenerated, $"{WebhookEventTypes.SiteRegenerated}:{regenerated.RegeneratedAt.UtcTicks}", regenerated.RegeneratedAt,
            new { siteId = regenerated.SiteId, slug = regenerated.Slug, title = regenerated.Title, reason = regenerated.Reason, release = regenerated.Release, url = $"/s/{regenerated.Slug}" },
            context.CancellationToken);
    }
}
