using FourSite.Contracts.Viral;
using MassTransit;

namespace FourSite.Leads.Webhooks;

/// <summary>Tells the site's webhooks that it was upgraded to Pro (once per payment).</summary>
public sealed class SiteUpgradedConsumer(WebhookEvents events) : IConsumer<SiteUpgraded>
{
    public Task Consume(ConsumeContext<SiteUpgraded> context)
    {
        var upgrade = context.Message;
        return events.RecordAsync(upgrade.SiteId, WebhookEventTypes.SiteUpgraded, $"{WebhookEventTypes.SiteUpgraded}:{upgrade.UpgradeId}", upgrade.UpgradedAt,
            new { siteId = upgrade.SiteId, upgradeId = upgrade.UpgradeId, plan = upgrade.Plan, amountCents = upgrade.AmountCents, currency = upgrade.Currency },
            context.CancellationToken);
    }
}
