using FourSite.Contracts.Generation;
using FourSite.Leads.Ownership;
using MassTransit;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// Tells the site's webhooks that its content was written again (or restored), and keeps its name for emails up to date;
/// a repeated message records nothing.
/// </summary>
public sealed class SiteRegeneratedConsumer(WebhookEvents events, SiteOwnerStore owners) : IConsumer<SiteRegenerated>
{
    public async Task Consume(ConsumeContext<SiteRegenerated> context)
    {
        var regenerated = context.Message;
        if (regenerated.Title.Length > 0)
        {
            await owners.RenameAsync(regenerated.SiteId, new SiteName(regenerated.Slug, regenerated.Title), context.CancellationToken);
        }

        await events.RecordAsync(regenerated.SiteId, WebhookEventTypes.SiteRegenerated, $"{WebhookEventTypes.SiteRegenerated}:{regenerated.RegeneratedAt.UtcTicks}", regenerated.RegeneratedAt,
            new { siteId = regenerated.SiteId, slug = regenerated.Slug, title = regenerated.Title, reason = regenerated.Reason, release = regenerated.Release, url = $"/s/{regenerated.Slug}" },
            context.CancellationToken);
    }
}
