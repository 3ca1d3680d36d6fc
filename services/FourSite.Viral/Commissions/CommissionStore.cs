using Dapper;
using Npgsql;

namespace FourSite.Viral.Commissions;

/// <summary>One entry of a referrer's ledger, with its state: held (and why), pending (refund window), payable, paid or reversed.</summary>
public sealed record CommissionEntry(
    Guid CommissionId,
    string? InvoiceId,
    string? ReferralCode,
    decimal Rate,
    long AmountCents,
    string Currency,
    string State,
    DateTime EarnedAt,
    DateTime PayableAt,
    DateTime? ReversedAt,
    string? Reason,
    Guid? Adjusts,
    Guid? PayoutId,
    string? HoldReason);

/// <summary>A referrer's totals in one currency, in cents, by state.</summary>
public sealed record CommissionTotals(string Currency, long PendingCents, long PayableCents, long PaidCents, long ReversedCents, long HeldCents);

/// <summary>A commission held for an operator's decision, with what it comes to after its adjustments.</summary>
public sealed record HeldCommission(Guid CommissionId, string? InvoiceId, string? ReferralCode, Guid ReferrerId, long AmountCents, string Currency, string HoldReason, DateTime EarnedAt);

/// <summary>What one referrer is owed now, in one currency.</summary>
public sealed record PayableCommission(Guid ReferrerId, string ReferrerKind, string Currency, long AmountCents, int Entries);

/// <summary>Reads the commission ledger (payouts are <see cref="Payouts.PayoutRun"/>'s).</summary>
public sealed class CommissionStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>An entry's state at <c>@now</c>.</summary>
    private const string State = """
        CASE WHEN reversed_at IS NOT NULL THEN 'reversed' WHEN payout_id IS NOT NULL THEN 'paid' WHEN hold_reason IS NOT NULL AND released_at IS NULL THEN 'held'
             WHEN payable_at <= @now THEN 'payable' ELSE 'pending' END
        """;

    /// <summary>Not held: never flagged, or released by an operator.</summary>
    private const string NotHeld = "(hold_reason IS NULL OR released_at IS NOT NULL)";

    /// <summary>Who a payout goes to: the referrer's account, or the site owner for codes made before accounts.</summary>
    private const string Referrer = "coalesce(referrer_account_id, referrer_owner_id)";

    /// <summary>Columns of <see cref="PayableCommission"/>, over entries grouped by referrer and currency.</summary>
    private const string PerReferrer = $"""
        {Referrer} AS ReferrerId, CASE WHEN referrer_account_id IS NULL THEN 'owner' ELSE 'account' END AS ReferrerKind, currency,
        sum(amount_cents)::bigint AS AmountCents, count(*)::int AS Entries
        """;

    /// <summary>Entries of every currency, payable and not yet paid, whose referrer is owed more than nothing there.</summary>
    private const string PayableNow = $"""
        payout_id IS NULL AND transfer_id IS NULL AND reversed_at IS NULL AND payable_at <= @now AND {NotHeld}
        AND ({Referrer}, currency) IN (SELECT {Referrer}, currency FROM commissions
                                       WHERE payout_id IS NULL AND transfer_id IS NULL AND reversed_at IS NULL AND payable_at <= @now AND {NotHeld}
                                       GROUP BY 1, 2 HAVING sum(amount_cents) > 0)
        """;

    public async Task<(IReadOnlyList<CommissionEntry> Entries, IReadOnlyList<CommissionTotals> Totals)> ForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var entries = (await connection.QueryAsync<CommissionEntry>(new CommandDefinition($"""
            SELECT id AS CommissionId, invoice_id AS InvoiceId, referral_code AS ReferralCode, rate, amount_cents AS AmountCents, currency, {State} AS State,
                   created_at AS EarnedAt, payable_at AS PayableAt, reversed_at AS ReversedAt, reversal_reason AS Reason, adjusts, payout_id AS PayoutId,
                   hold_reason AS HoldReason
            FROM commissions WHERE referrer_account_id = @accountId
            ORDER BY created_at DESC, id
            """, new { accountId, now }, cancellationToken: cancellationToken))).ToList();
        var totals = entries.GroupBy(entry => entry.Currency).Select(currency => new CommissionTotals(currency.Key,
            currency.Where(entry => entry.State == "pending").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "payable").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "paid").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "reversed").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "held").Sum(entry => entry.AmountCents))).ToList();
        return (entries, totals);
    }

    /// <summary>Commissions held for an operator's decision, oldest first (their adjustments are counted in).</summary>
    public async Task<IReadOnlyList<HeldCommission>> HeldAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<HeldCommission>(new CommandDefinition("""
            SELECT c.id AS CommissionId, c.invoice_id AS InvoiceId, c.referral_code AS ReferralCode, coalesce(c.referrer_account_id, c.referrer_owner_id) AS ReferrerId,
                   c.amount_cents + coalesce((SELECT sum(a.amount_cents) FROM commissions a WHERE a.adjusts = c.id), 0)::bigint AS AmountCents,
                   c.currency, c.hold_reason AS HoldReason, c.created_at AS EarnedAt
            FROM commissions c
            WHERE c.adjusts IS NULL AND c.hold_reason IS NOT NULL AND c.released_at IS NULL AND c.reversed_at IS NULL AND c.payout_id IS NULL
            ORDER BY c.created_at
            """, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// An operator's decision on a held commission (and its adjustments): released, it follows its refund window to
    /// payable; reversed, it is never paid. False when no such commission is held.
    /// </summary>
    public async Task<bool> DecideAsync(Guid commissionId, bool release, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var decided = await connection.ExecuteAsync(new CommandDefinition(release
            ? """
              UPDATE commissions SET released_at = @now
              WHERE (id = @commissionId OR adjusts = @commissionId) AND hold_reason IS NOT NULL AND released_at IS NULL AND reversed_at IS NULL AND payout_id IS NULL
                AND EXISTS (SELECT 1 FROM commissions h WHERE h.id = @commissionId AND h.adjusts IS NULL AND h.hold_reason IS NOT NULL
                            AND h.released_at IS NULL AND h.reversed_at IS NULL)
              """
            : """
              UPDATE commissions SET reversed_at = @now, reversal_reason = @reason
              WHERE (id = @commissionId OR adjusts = @commissionId) AND hold_reason IS NOT NULL AND released_at IS NULL AND reversed_at IS NULL AND payout_id IS NULL
                AND EXISTS (SELECT 1 FROM commissions h WHERE h.id = @commissionId AND h.adjusts IS NULL AND h.hold_reason IS NOT NULL
                            AND h.released_at IS NULL AND h.reversed_at IS NULL)
              """, new { commissionId, reason, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        return decided > 0;
    }

    /// <summary>What each referrer is owed now (a negative balance waits for later earnings).</summary>
    public async Task<IReadOnlyList<PayableCommission>> PayableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PayableCommission>(new CommandDefinition($"""
            SELECT {PerReferrer}
            FROM commissions WHERE {PayableNow}
            GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1
            """, new { now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToList();
    }
}
