using Dapper;
using FourSite.Contracts.Viral;
using FourSite.Viral.Commissions;
using Npgsql;
using Stripe.Checkout;

namespace FourSite.Viral.Billing;

/// <summary>
/// Records a completed Pro checkout in the transaction of its Stripe event: the upgrade (once per session), its
/// subscription, the referrer's commission on the first invoice, and the announcement.
/// </summary>
public sealed partial class UpgradeStore(CommissionLedger ledger, ServiceDefaults.Outbox.Outbox outbox, ViralTelemetry telemetry, ILogger<UpgradeStore> logger)
{
    /// <returns>The upgraded site, or null when the session was not FourSite's or was already recorded.</returns>
    public async Task<Guid?> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SubscriptionFacts.From(session.Metadata) is not { } facts)
        {
            LogNotOurs(logger, session.Id);
            return null;
        }

        var upgradeId = Guid.CreateVersion7();
        var amountCents = session.AmountTotal ?? facts.Plan.AmountCents;
        var currency = session.Currency ?? facts.Plan.Currency;
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO upgrades (id, checkout_session_id, website_id, owner_id, plan, amount_cents, currency, referral_code, buyer_account_id, created_at)
            VALUES (@upgradeId, @sessionId, @siteId, @ownerId, @plan, @amountCents, @currency, @referralCode, @buyerAccount, @now)
            ON CONFLICT (checkout_session_id) DO NOTHING
            """, new { upgradeId, sessionId = session.Id, facts.SiteId, facts.OwnerId, plan = facts.Plan.Name, amountCents, currency, facts.ReferralCode, facts.BuyerAccount, now },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return null;
        }

        // Paid for a first period; the first invoice (its own event, in either order) states the period's exact end, and
        // earns the first commission if it came first.
        var subscriptionId = session.SubscriptionId ?? session.Id;
        await SubscriptionLifecycle.PaidAsync(connection, transaction, subscriptionId, facts, session.CustomerId, now.Add(facts.Plan.Period), estimated: true, cancellationToken);
        var firstEarned = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM commissions WHERE subscription_id = @subscriptionId AND adjusts IS NULL)",
            new { subscriptionId }, transaction, cancellationToken: cancellationToken));
        var commission = firstEarned ? null : await ledger.EarnAsync(connection, transaction, facts,
            new PaidInvoice(session.InvoiceId ?? session.Id, subscriptionId, amountCents, currency, now), upgradeId, cancellationToken);
        await outbox.PublishAsync(new SiteUpgraded(upgradeId, facts.SiteId, facts.OwnerId, facts.Plan.Name, amountCents, currency, facts.ReferralCode, commission, now),
            transaction, cancellationToken);
        telemetry.Upgraded(facts.Plan.Name, commission is not null);
        return facts.SiteId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout session {SessionId} completed without FourSite's metadata; not recorded as an upgrade")]
    private static partial void LogNotOurs(ILogger logger, string sessionId);
}
