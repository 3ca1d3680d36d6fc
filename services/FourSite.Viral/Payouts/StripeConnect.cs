using FourSite.Viral.Billing;
using Stripe;

namespace FourSite.Viral.Payouts;

/// <summary>
/// Stripe Connect as payouts use it: a referrer's Express account, the hosted onboarding and dashboard links, and
/// transfers. Creates carry idempotency keys, so a request retried (by the HTTP pipeline or a re-run) returns what the
/// first made.
/// </summary>
public sealed class StripeConnect(StripeBillingClient stripe)
{
    public async Task<Account> CreateAccountAsync(Guid accountId, string country, CancellationToken cancellationToken) =>
        await new AccountService(stripe.Client()).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = country,
            Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
            Metadata = new Dictionary<string, string> { ["foursite_account_id"] = accountId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"payout-account-{accountId}" }, cancellationToken);

    public async Task<string> OnboardingLinkAsync(string stripeAccountId, string returnUrl, string refreshUrl, CancellationToken cancellationToken) =>
        (await new AccountLinkService(stripe.Client()).CreateAsync(new AccountLinkCreateOptions
        {
            Account = stripeAccountId,
            ReturnUrl = returnUrl,
            RefreshUrl = refreshUrl,
            Type = "account_onboarding",
        }, cancellationToken: cancellationToken)).Url;

    public async Task<string> DashboardLinkAsync(string stripeAccountId, CancellationToken cancellationToken) =>
        (await new AccountLoginLinkService(stripe.Client()).CreateAsync(stripeAccountId, cancellationToken: cancellationToken)).Url;

    public async Task<Account> AccountAsync(string stripeAccountId, CancellationToken cancellationToken) =>
        await new AccountService(stripe.Client()).GetAsync(stripeAccountId, cancellationToken: cancellationToken);

    /// <summary>The transfers of a payout batch (its transfer group) to one connected account.</summary>
    public async Task<IReadOnlyList<Transfer>> TransfersOfGroupAsync(string batchId, string stripeAccountId, CancellationToken cancellationToken) =>
        (await new TransferService(stripe.Client()).ListAsync(new TransferListOptions { TransferGroup = batchId, Destination = stripeAccountId, Limit = 100 },
            cancellationToken: cancellationToken)).Data;

    /// <summary>One transfer to a connected account, its ledger entries named in its metadata.</summary>
    public async Task<Transfer> TransferAsync(PlannedTransfer planned, IReadOnlyList<Guid> entries, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            ["foursite_transfer_id"] = planned.TransferId.ToString(),
            ["foursite_account_id"] = planned.AccountId.ToString(),
            ["entry_count"] = entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Stripe keeps 50 keys of up to 500 characters: the entries, thirteen ids a key.
        foreach (var (chunk, index) in entries.Chunk(13).Take(45).Select((chunk, index) => (chunk, index)))
        {
            metadata[$"entries_{index + 1}"] = string.Join(',', chunk);
        }

        return await new TransferService(stripe.Client()).CreateAsync(new TransferCreateOptions
        {
            Amount = planned.AmountCents,
            Currency = planned.Currency,
            Destination = planned.StripeAccountId,
            TransferGroup = planned.BatchId,
            Description = $"FourSite referral commissions, batch {planned.BatchId}",
            Metadata = metadata,
        }, new RequestOptions { IdempotencyKey = planned.IdempotencyKey }, cancellationToken);
    }
}

/// <summary>A transfer as a payout plans it, before Stripe is asked.</summary>
public sealed record PlannedTransfer(Guid TransferId, string BatchId, Guid AccountId, string StripeAccountId, string Currency, long AmountCents, int Attempt)
{
    public string IdempotencyKey => $"payout-{BatchId}-{StripeAccountId}-{Currency}-{Attempt}";
}
