using FourSite.Contracts.Generation;
using FourSite.Viral.Billing;
using FourSite.Viral.Scores;
using FourSite.Viral.Shares;
using MassTransit;
using Microsoft.Extensions.Options;

namespace FourSite.Viral.Ownership;

/// <summary>
/// Forgets a removed site: its shares, visits, conversions, score and place in the showcase; and stops billing for it
/// (Stripe then reports the subscription deleted). A repeat changes nothing.
/// </summary>
public sealed partial class SiteRemovedConsumer(ShareStore shares, HotScores hotScores, SubscriptionStore subscriptions, StripeBillingClient stripe, IOptions<BillingOptions> billing,
    ILogger<SiteRemovedConsumer> logger) : IConsumer<SiteRemoved>
{
    public async Task Consume(ConsumeContext<SiteRemoved> context)
    {
        await shares.ForgetSiteAsync(context.Message.SiteId, context.CancellationToken);
        await hotScores.RemoveForGoodAsync(context.Message.SiteId);
        foreach (var subscription in await subscriptions.LiveOfAsync(context.Message.SiteId, context.CancellationToken))
        {
            if (!billing.Value.CheckoutConfigured)
            {
                LogCannotCancel(logger, subscription, context.Message.SiteId);
                continue;
            }

            // A failure is retried with the message: nobody keeps paying for a site that is gone.
            await stripe.CancelSubscriptionAsync(subscription, context.CancellationToken);
            LogCancelled(logger, subscription, context.Message.SiteId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId} of removed site {SiteId} cancelled at Stripe")]
    private static partial void LogCancelled(ILogger logger, string subscriptionId, Guid siteId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscription {SubscriptionId} of removed site {SiteId} cannot be cancelled: billing is not configured")]
    private static partial void LogCannotCancel(ILogger logger, string subscriptionId, Guid siteId);
}
