using Dapper;
using FourSite.Contracts.Viral;
using FourSite.Viral.Data;
using FourSite.Viral.Growth;
using Npgsql;
using Stripe.Checkout;

namespace FourSite.Viral.Billing;

/// <summary>What a webhook event did.</summary>
public enum WebhookOutcome
{
    Recorded,
    AlreadyHandled,
    Ignored,
}

/// <summary>
/// Records Pro upgrades from Stripe's webhook: the event id, the upgrade, the referrer's commission and the
/// announcement commit together, so a retried delivery (or a second event for the same session) changes nothing.
/// </summary>
public sealed partial class UpgradeStore(NpgsqlDataSource dataSource, SiteOwners owners, ServiceDefaults.Outbox.Outbox outbox, ViralTelemetry telemetry, TimeProvider clock, ILogger<UpgradeStore> logger)
{
    public async Task<WebhookOutcome> RecordAsync(string eventId, string eventType, Session? session, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var first = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO stripe_events (id, type) VALUES (@eventId, @eventType) ON CONFLICT (id) DO NOTHING",
            new { eventId, eventType }, transaction, cancellationToken: cancellationToken));
        if (first == 0)
        {
            return WebhookOutcome.AlreadyHandled;
        }

        var outcome = session is null || session.PaymentStatus is "unpaid"
            ? WebhookOutcome.Ignored
            : await RecordUpgradeAsync(connection, transaction, session, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return outcome;
    }

    private async Task<WebhookOutcome> RecordUpgradeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Session session, CancellationToken cancellationToken)
    {
        var metadata = session.Metadata ?? [];
        if (!Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.SiteIdKey), out var siteId)
            || !Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.OwnerIdKey), out var ownerId)
            || metadata.GetValueOrDefault(CheckoutSessions.PlanKey) is not { } planName || !ProPlans.All.TryGetValue(planName, out var plan))
        {
            LogNotOurs(logger, session.Id);
            return WebhookOutcome.Ignored;
        }

        var now = clock.GetUtcNow();
        var upgradeId = Guid.CreateVersion7();
        var amountCents = session.AmountTotal ?? plan.AmountCents;
        var currency = session.Currency ?? plan.Currency;
        var referralCode = metadata.GetValueOrDefault(CheckoutSessions.ReferralCodeKey);
        Guid? buyerAccount = Guid.TryParse(metadata.GetValueOrDefault(CheckoutSessions.BuyerAccountKey), out var buyer) ? buyer : null;
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO upgrades (id, checkout_session_id, website_id, owner_id, plan, amount_cents, currency, referral_code, buyer_account_id, created_at)
            VALUES (@upgradeId, @sessionId, @siteId, @ownerId, @plan, @amountCents, @currency, @referralCode, @buyerAccount, @now)
            ON CONFLICT (checkout_session_id) DO NOTHING
            """, new { upgradeId, sessionId = session.Id, siteId, ownerId, plan = plan.Name, amountCents, currency, referralCode, buyerAccount, now }, transaction,
            cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return WebhookOutcome.AlreadyHandled;
        }

        var commission = await RecordCommissionAsync(connection, transaction, upgradeId, (ownerId, buyerAccount), referralCode,
            metadata.GetValueOrDefault(CheckoutSessions.ClientNetworkKey), amountCents, currency, now, cancellationToken);
        await outbox.PublishAsync(new SiteUpgraded(upgradeId, siteId, ownerId, plan.Name, amountCents, currency, referralCode, commission, now), transaction, cancellationToken);
        telemetry.Upgraded(plan.Name, commission is not null);
        return WebhookOutcome.Recorded;
    }

    /// <summary>
    /// The referrer's commission at their current rate. Nobody earns on their own upgrade (the same site owner or the
    /// same account), nor on one bought from the network the code was shared from (the referral fraud signal): the
    /// upgrade stands, the commission does not.
    /// </summary>
    private async Task<long?> RecordCommissionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid upgradeId, (Guid OwnerId, Guid? Account) buyer,
        string? referralCode, string? buyerNetwork, long amountCents, string currency, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (referralCode is null)
        {
            return null;
        }

        var referrer = await connection.QuerySingleOrDefaultAsync<(Guid OwnerId, DateTime CreatedAt, Guid? AccountId)>(new CommandDefinition(
            $"SELECT r.owner_id, r.created_at, r.account_id FROM referral_codes r WHERE r.code = @referralCode AND {ReferralStore.OfLiveSite}",
            new { referralCode }, transaction, cancellationToken: cancellationToken));
        var ownerId = buyer.OwnerId;
        if (referrer.OwnerId == Guid.Empty || referrer.OwnerId == ownerId || (referrer.AccountId is not null && referrer.AccountId == buyer.Account))
        {
            return null;
        }

        if (buyerNetwork is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM shares WHERE referral_code = @referralCode AND client_network = @buyerNetwork)",
            new { referralCode, buyerNetwork }, transaction, cancellationToken: cancellationToken)))
        {
            LogSelfReferral(logger, referralCode);
            return null;
        }

        var since = (referrer.AccountId is { } account ? await owners.AccountRelationshipStartAsync(account, cancellationToken) : null)
            ?? await owners.RelationshipStartAsync(referrer.OwnerId, cancellationToken)
            ?? new DateTimeOffset(DateTime.SpecifyKind(referrer.CreatedAt, DateTimeKind.Utc));
        var rate = CommissionSchedule.Rate(CommissionSchedule.MonthsBetween(since, now));
        var commissionCents = CommissionSchedule.CommissionCents(amountCents, rate);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO commissions (id, referrer_owner_id, referred_owner_id, referral_code, rate, amount_cents, currency, upgrade_id, referrer_account_id, created_at)
            VALUES (@id, @referrerOwnerId, @ownerId, @referralCode, @rate, @commissionCents, @currency, @upgradeId, @referrerAccount, @now)
            """, new { id = Guid.CreateVersion7(), referrerOwnerId = referrer.OwnerId, ownerId, referralCode, rate, commissionCents, currency, upgradeId, referrerAccount = referrer.AccountId, now },
            transaction, cancellationToken: cancellationToken));
        return commissionCents;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrade through referral code {ReferralCode} came from the network it was shared from; no commission")]
    private static partial void LogSelfReferral(ILogger logger, string referralCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout session {SessionId} completed without FourSite's metadata; not recorded as an upgrade")]
    private static partial void LogNotOurs(ILogger logger, string sessionId);
}
