using Dapper;
using FourSite.Viral.Billing;
using FourSite.Viral.Ownership;
using FourSite.Viral.Referrals;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Commissions;

/// <summary>
/// Writes the commission ledger inside the transaction of the Stripe event that caused each entry: a commission per paid
/// invoice of a referred subscription (at the referrer's rate on the day it was paid), and its reversal when the payment
/// is refunded or disputed.
/// </summary>
/// <remarks>
/// Rounding, in integer cents of the payment's currency: a commission is the payment times the rate, rounded half away
/// from zero; a refund reverses the commission times the refunded share of the payment, rounded the same way, and never
/// more than the commission. Each step rounds once, from the original amounts, so repeated partial refunds add up to
/// exactly what one refund of their sum would.
/// </remarks>
public sealed partial class CommissionLedger(SiteOwnerStore owners, ILogger<CommissionLedger> logger)
{
    /// <summary>How long a commission waits for refunds before it may be paid out.</summary>
    public static readonly TimeSpan RefundWindow = TimeSpan.FromDays(30);

    /// <summary>The commission's share of a refund: <paramref name="refundedCents"/> of <paramref name="paidCents"/>.</summary>
    public static long ReversalCents(long commissionCents, long refundedCents, long paidCents) =>
        paidCents <= 0 || refundedCents >= paidCents
            ? commissionCents
            : Math.Min(commissionCents, (long)Math.Round((decimal)commissionCents * refundedCents / paidCents, MidpointRounding.AwayFromZero));

    /// <summary>
    /// Records the referrer's commission on one paid invoice, once per invoice; none when nobody referred the buyer or the
    /// referrer is the buyer (the same site owner or account). When the buyer came from the network the code was shared
    /// from (the referral fraud signal), the commission is held until an operator releases or reverses it.
    /// </summary>
    public async Task<long?> EarnAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubscriptionFacts facts, PaidInvoice invoice,
        Guid? upgradeId, CancellationToken cancellationToken)
    {
        if (facts.ReferralCode is not { } referralCode)
        {
            return null;
        }

        var referrer = await connection.QuerySingleOrDefaultAsync<(Guid OwnerId, DateTime CreatedAt, Guid? AccountId)>(new CommandDefinition(
            $"SELECT r.owner_id, r.created_at, r.account_id FROM referral_codes r WHERE r.code = @referralCode AND {ReferralStore.OfLiveSite}",
            new { referralCode }, transaction, cancellationToken: cancellationToken));
        if (referrer.OwnerId == Guid.Empty || referrer.OwnerId == facts.OwnerId || (referrer.AccountId is not null && referrer.AccountId == facts.BuyerAccount))
        {
            return null;
        }

        string? holdReason = null;
        if (facts.ClientNetwork is { } buyerNetwork && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM shares WHERE referral_code = @referralCode AND client_network = @buyerNetwork)",
            new { referralCode, buyerNetwork }, transaction, cancellationToken: cancellationToken)))
        {
            LogSelfReferral(logger, referralCode);
            holdReason = Referrals.ReferralFraud.SameNetwork;
        }

        var since = (referrer.AccountId is { } account ? await owners.AccountRelationshipStartAsync(account, cancellationToken) : null)
            ?? await owners.RelationshipStartAsync(referrer.OwnerId, cancellationToken)
            ?? Utc(referrer.CreatedAt);
        var rate = CommissionSchedule.Rate(CommissionSchedule.MonthsBetween(since, invoice.PaidAt));
        var commissionCents = CommissionSchedule.CommissionCents(invoice.AmountCents, rate);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO commissions (id, referrer_owner_id, referred_owner_id, referral_code, rate, amount_cents, currency, upgrade_id, referrer_account_id,
                                     invoice_id, subscription_id, paid_amount_cents, created_at, payable_at, hold_reason)
            VALUES (@id, @referrerOwnerId, @referredOwnerId, @referralCode, @rate, @commissionCents, @currency, @upgradeId, @referrerAccount,
                    @invoiceId, @subscriptionId, @paidCents, @paidAt, @payableAt, @holdReason)
            ON CONFLICT (invoice_id) WHERE adjusts IS NULL DO NOTHING
            """, new
        {
            id = Guid.CreateVersion7(), referrerOwnerId = referrer.OwnerId, referredOwnerId = facts.OwnerId, referralCode, rate, commissionCents,
            currency = invoice.Currency, upgradeId, referrerAccount = referrer.AccountId, invoiceId = invoice.InvoiceId, subscriptionId = invoice.SubscriptionId,
            paidCents = invoice.AmountCents, paidAt = invoice.PaidAt, payableAt = invoice.PaidAt + RefundWindow, holdReason,
        }, transaction, cancellationToken: cancellationToken));
        return inserted == 1 ? commissionCents : null;
    }

    /// <summary>
    /// Takes back the commission on a refunded or disputed payment: the share refunded so far (Stripe reports the running
    /// total), less what was already taken back. Unpaid and wholly refunded, the entry becomes <c>reversed</c>; otherwise a
    /// negative adjustment is entered against the referrer's next payout.
    /// </summary>
    public async Task<long> ReverseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string invoiceId, long refundedCents, string reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The entry is locked first, and what was already taken back read after: a reversal racing this one has committed
        // its adjustment by then. An entry in a transfer Stripe is being asked for counts as paid out: the money may be on
        // its way, so what is taken back is an adjustment against the next payout.
        var entry = await connection.QuerySingleOrDefaultAsync<Earned>(new CommandDefinition("""
            SELECT id, amount_cents AS AmountCents, paid_amount_cents AS PaidCents,
                   payout_id IS NOT NULL OR transfer_id IS NOT NULL AS PaidOut, reversed_at IS NOT NULL AS Reversed
            FROM commissions WHERE invoice_id = @invoiceId AND adjusts IS NULL
            FOR UPDATE
            """, new { invoiceId }, transaction, cancellationToken: cancellationToken));
        if (entry is null || entry.Reversed)
        {
            return 0;
        }

        var adjustedCents = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(-sum(amount_cents), 0)::bigint FROM commissions WHERE adjusts = @Id",
            new { entry.Id }, transaction, cancellationToken: cancellationToken));

        var target = ReversalCents(entry.AmountCents, refundedCents, entry.PaidCents ?? refundedCents);
        var owed = target - adjustedCents;
        if (owed <= 0)
        {
            return 0;
        }

        if (!entry.PaidOut && adjustedCents == 0 && target == entry.AmountCents)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE commissions SET reversed_at = @now, reversal_reason = @reason WHERE id = @id",
                new { entry.Id, now, reason }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO commissions (id, referrer_owner_id, referred_owner_id, referral_code, rate, amount_cents, currency, referrer_account_id,
                                         invoice_id, subscription_id, created_at, payable_at, reversal_reason, adjusts, hold_reason, released_at)
                SELECT @adjustmentId, referrer_owner_id, referred_owner_id, referral_code, rate, -@owed, currency, referrer_account_id,
                       invoice_id, subscription_id, @now, greatest(payable_at, @now), @reason, id, hold_reason, released_at
                FROM commissions WHERE id = @id
                """, new { adjustmentId = Guid.CreateVersion7(), owed, now, reason, entry.Id }, transaction, cancellationToken: cancellationToken));
        }

        LogReversed(logger, invoiceId, owed, reason);
        return owed;
    }

    private sealed record Earned(Guid Id, long AmountCents, long? PaidCents, bool PaidOut, bool Reversed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment through referral code {ReferralCode} came from the network it was shared from; its commission is held")]
    private static partial void LogSelfReferral(ILogger logger, string referralCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commission on invoice {InvoiceId} reversed by {Cents} cents: {Reason}")]
    private static partial void LogReversed(ILogger logger, string invoiceId, long cents, string reason);
}

/// <summary>A paid invoice of a Pro subscription: what was paid, in which currency, and when.</summary>
public sealed record PaidInvoice(string InvoiceId, string? SubscriptionId, long AmountCents, string Currency, DateTimeOffset PaidAt);
