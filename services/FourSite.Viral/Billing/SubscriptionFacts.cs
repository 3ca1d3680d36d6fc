namespace FourSite.Viral.Billing;

/// <summary>
/// What FourSite wrote into a checkout's metadata (Stripe copies it onto the subscription and each of its invoices): the
/// site, its owner, the plan, and who referred the buyer.
/// </summary>
public sealed record SubscriptionFacts(Guid SiteId, Guid OwnerId, ProPlan Plan, string? ReferralCode, string? ClientNetwork, Guid? BuyerAccount)
{
    public static SubscriptionFacts? From(Dictionary<string, string>? metadata)
    {
        if (metadata is null
            || !Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.SiteIdKey), out var siteId)
            || !Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.OwnerIdKey), out var ownerId)
            || metadata.GetValueOrDefault(CheckoutSessions.PlanKey) is not { } planName || !ProPlans.All.TryGetValue(planName, out var plan))
        {
            return null;
        }

        Guid? buyer = Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.BuyerAccountKey), out var account) ? account : null;
        return new SubscriptionFacts(siteId, ownerId, plan, metadata.GetValueOrDefault(CheckoutSessions.ReferralCodeKey),
            metadata.GetValueOrDefault(CheckoutSessions.ClientNetworkKey), buyer);
    }
}
