using FourSite.Contracts.Viral;
using MassTransit;

namespace FourSite.Leads.Webhooks;

/// <summary>Tells the site's webhooks that its shares reached a milestone (once each).</summary>
public sealed class ShareMilestoneReachedConsumer(WebhookEvents events) : IConsumer<ShareMilestoneReached>
{
    public Task Consume(ConsumeContext<ShareMilestoneReached> context)
    {
        var milestone = context.Message;
        return events.RecordAsync(milestone.SiteId, WebhookEventTypes.ShareMilestone, $"{WebhookEventTypes.ShareMilestone}:{milestone.Shares}", milestone.ReachedAt,
            new { siteId = milestone.SiteId, shares = milestone.Shares }, context.CancellationToken);
    }
}
