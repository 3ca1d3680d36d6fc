using Dapper;
using FourSite.Contracts.Viral;
using Npgsql;
using Stripe;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Billing;

/// <summary>
/// Keeps each Pro subscription as Stripe reports it (paid periods, failed payments and their grace period, plan changes,
/// cancellation) and announces what the site is entitled to after every change, in the caller's transaction.
/// </summary>
public sealed class SubscriptionLifecycle(ServiceDefaults.Outbox.Outbox outbox)
{
    /// <summary>How long a site stays Pro after a renewal payment fails, while Stripe retries the card.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(7);

    /// <summary>
    /// A subscription begins (a completed checkout or its first invoice, whichever arrives first) or is paid for up to
    /// <paramref name="paidUntil"/>. A checkout only estimates its first period's end (<paramref name="estimated"/>); the
    /// invoice's exact end replaces an estimate, and is never replaced by one.
    /// </summary>
    public static Task PaidAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriptionId, SubscriptionFacts facts, string? customerId,
        DateTimeOffset paidUntil, bool estimated, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO subscriptions (id, website_id, owner_id, buyer_account_id, customer_id, plan, referral_code, client_network, current_period_end, period_estimated)
            VALUES (@subscriptionId, @siteId, @ownerId, @buyerAccount, @customerId, @plan, @referralCode, @clientNetwork, @paidUntil, @estimated)
            ON CONFLICT (id) DO UPDATE SET
                customer_id = coalesce(subscriptions.customer_id, excluded.customer_id),
                current_period_end = CASE
                    WHEN excluded.period_estimated AND NOT subscriptions.period_estimated THEN subscriptions.current_period_end
                    WHEN subscriptions.period_estimated AND NOT excluded.period_estimated THEN excluded.current_period_end
                    ELSE greatest(subscriptions.current_period_end, excluded.current_period_end) END,
                period_estimated = subscriptions.period_estimated AND excluded.period_estimated,
                status = CASE WHEN subscriptions.status = 'canceled' THEN 'canceled' ELSE 'active' END,
                grace_until = NULL
            """, new
        {
            subscriptionId, facts.SiteId, facts.OwnerId, facts.BuyerAccount, customerId, plan = facts.Plan.Name, facts.ReferralCode, facts.ClientNetwork, paidUntil, estimated,
        }, transaction, cancellationToken: cancellationToken));

    /// <summary>A renewal failed: Pro goes on for the grace period (counted from the first failure), the dashboard says so.</summary>
    public static async Task<Guid?> PaymentFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriptionId, DateTimeOffset failedAt,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE subscriptions SET status = 'past_due', grace_until = coalesce(grace_until, @graceUntil)
            WHERE id = @subscriptionId AND status <> 'canceled'
            RETURNING website_id
            """, new { subscriptionId, graceUntil = failedAt + GracePeriod }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Records a subscription's state as Stripe sent it (plan, status, cancellation at the period's end); an event older
    /// than the one already applied changes nothing. Stripe moves a subscription's period on before its renewal is paid,
    /// so this never extends the paid period (only a paid invoice does); it may shorten an estimate.
    /// </summary>
    public static async Task<Guid?> UpdatedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Subscription subscription, DateTimeOffset eventAt,
        CancellationToken cancellationToken)
    {
        var item = subscription.Items?.Data?.FirstOrDefault();
        var plan = ProPlans.ByInterval(item?.Price?.Recurring?.Interval);
        var status = subscription.Status switch
        {
            "canceled" or "incomplete_expired" => "canceled",
            "past_due" or "unpaid" => "past_due",
            _ => "active",
        };
        DateTimeOffset? periodEnd = item is null || item.CurrentPeriodEnd == default ? null : new DateTimeOffset(item.CurrentPeriodEnd, TimeSpan.Zero);
        DateTimeOffset? cancelAt = subscription.CancelAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
        DateTimeOffset? endedAt = subscription.EndedAt is { } ended ? new DateTimeOffset(ended, TimeSpan.Zero) : status == "canceled" ? eventAt : null;
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE subscriptions SET
                plan = coalesce(@plan, plan),
                status = CASE WHEN status = 'canceled' THEN 'canceled' ELSE @status END,
                current_period_end = least(current_period_end, coalesce(@periodEnd, current_period_end)),
                cancel_at_period_end = @cancelAtPeriodEnd,
                cancel_at = @cancelAt,
                ended_at = CASE WHEN @status = 'canceled' THEN coalesce(ended_at, @endedAt) ELSE ended_at END,
                grace_until = CASE WHEN @status = 'active' THEN NULL ELSE grace_until END,
                state_as_of = @eventAt
            WHERE id = @id AND (state_as_of IS NULL OR state_as_of <= @eventAt)
            RETURNING website_id
            """, new { subscription.Id, plan = plan?.Name, status, periodEnd, subscription.CancelAtPeriodEnd, cancelAt, endedAt, eventAt },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The subscription ended (cancelled, or unpaid after Stripe's retries): Pro ends now.</summary>
    public static async Task<Guid?> DeletedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriptionId, DateTimeOffset endedAt,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE subscriptions SET status = 'canceled', ended_at = coalesce(ended_at, @endedAt), grace_until = NULL, state_as_of = greatest(state_as_of, @endedAt)
            WHERE id = @subscriptionId
            RETURNING website_id
            """, new { subscriptionId, endedAt }, transaction, cancellationToken: cancellationToken));

    /// <summary>Announces what the site's best subscription gives it now.</summary>
    public async Task AnnounceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid siteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = await connection.QuerySingleOrDefaultAsync<ProState>(new CommandDefinition($"""
            SELECT plan, {ProUntil} AS ProUntil,
                   CASE WHEN status <> 'canceled' AND NOT cancel_at_period_end AND cancel_at IS NULL THEN current_period_end END AS RenewsAt,
                   CASE WHEN status = 'canceled' THEN ended_at WHEN cancel_at IS NOT NULL THEN cancel_at WHEN cancel_at_period_end THEN current_period_end END AS CancelAt,
                   CASE WHEN status = 'past_due' THEN grace_until END AS GraceUntil
            FROM subscriptions WHERE website_id = @siteId
            ORDER BY {ProUntil} DESC NULLS LAST LIMIT 1
            """, new { siteId }, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(new SiteProChanged(siteId, state?.Plan, Utc(state?.ProUntil), Utc(state?.RenewsAt), Utc(state?.CancelAt), Utc(state?.GraceUntil), now),
            transaction, cancellationToken);
    }

    /// <summary>Until when a subscription row makes its site Pro: its paid period or grace period, or its end once cancelled.</summary>
    public const string ProUntil = "CASE WHEN status = 'canceled' THEN least(ended_at, greatest(current_period_end, grace_until)) ELSE greatest(current_period_end, grace_until) END";

    private sealed record ProState(string Plan, DateTime? ProUntil, DateTime? RenewsAt, DateTime? CancelAt, DateTime? GraceUntil);
}
