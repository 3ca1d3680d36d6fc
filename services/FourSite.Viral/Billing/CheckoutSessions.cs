using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace FourSite.Viral.Billing;

/// <summary>Creates Stripe Checkout sessions for Pro, through Stripe.net against the configured API address.</summary>
public sealed class CheckoutSessions(StripeBillingClient stripe, IOptions<BillingOptions> options)
{
    /// <summary>Keys of the session's metadata, read back by the webhook.</summary>
    public const string SiteIdKey = "site_id";
    public const string OwnerIdKey = "owner_id";
    public const string PlanKey = "plan";
    public const string ReferralCodeKey = "referral_code";
    public const string ClientNetworkKey = "client_network";
    public const string BuyerAccountKey = "buyer_account_id";

    /// <param name="clientNetwork">The buyer's coarse network, so a referrer buying through their own code earns nothing.</param>
    /// <param name="buyerAccount">The signed-in account buying, so nobody earns a commission on their own account's upgrade.</param>
    public async Task<Session> CreateAsync(Guid siteId, Guid ownerId, ProPlan plan, string? referralCode, string? clientNetwork, Guid? buyerAccount,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var metadata = new Dictionary<string, string> { [SiteIdKey] = siteId.ToString(), [OwnerIdKey] = ownerId.ToString(), [PlanKey] = plan.Name };
        if (buyerAccount is not null)
        {
            metadata[BuyerAccountKey] = buyerAccount.Value.ToString();
        }
        if (referralCode is not null)
        {
            metadata[ReferralCodeKey] = referralCode;
            if (clientNetwork is not null)
            {
                metadata[ClientNetworkKey] = clientNetwork;
            }
        }

        var returnUrl = settings.ReturnUrl.TrimEnd('/');
        var create = new SessionCreateOptions
        {
            Mode = "subscription",
            ClientReferenceId = siteId.ToString(),
            SuccessUrl = $"{returnUrl}/dashboard?checkout=success&session_id={{CHECKOUT_SESSION_ID}}",
            CancelUrl = $"{returnUrl}/dashboard?checkout=cancelled",
            Metadata = metadata,
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = plan.Currency,
                        UnitAmount = plan.AmountCents,
                        Recurring = new SessionLineItemPriceDataRecurringOptions { Interval = plan.Interval },
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = plan.ProductName },
                    },
                },
            ],
        };
        return await new SessionService(stripe.Client()).CreateAsync(create, new RequestOptions { IdempotencyKey = Guid.NewGuid().ToString() }, cancellationToken);
    }
}
