using Dapper;
using Npgsql;

namespace FourSite.Viral.Commissions;

/// <summary>One entry of a referrer's ledger, with its state: pending (refund window), payable, paid or reversed.</summary>
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
    Guid? PayoutId);

/// <summary>A referrer's totals in one currency, in cents, by state.</summary>
public sealed record CommissionTotals(string Currency, long PendingCents, long PayableCents, long PaidCents, long ReversedCents);

/// <summary>What one referrer is owed now, in one currency.</summary>
public sealed record PayableCommission(Guid ReferrerId, string ReferrerKind, string Currency, long AmountCents, int Entries);

/// <summary>A recorded payout batch: who was paid what.</summary>
public sealed record PayoutBatch(Guid PayoutId, string BatchId, DateTime CreatedAt, IReadOnlyList<PayableCommission> Payouts);

/// <summary>Reads the commission ledger and records payouts.</summary>
public sealed class CommissionStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>An entry's state at <c>@now</c>.</summary>
    private const string State = """
        CASE WHEN reversed_at IS NOT NULL THEN 'reversed' WHEN payout_id IS NOT NULL THEN 'paid' WHEN payable_at <= @now THEN 'payable' ELSE 'pending' END
        """;

    /// <summary>Who a payout goes to: the referrer's account, or the site owner for codes made before accounts.</summary>
    private const string Referrer = "coalesce(referrer_account_id, referrer_owner_id)";

    /// <summary>Columns of <see cref="PayableCommission"/>, over entries grouped by referrer and currency.</summary>
    private const string PerReferrer = $"""
        {Referrer} AS ReferrerId, CASE WHEN referrer_account_id IS NULL THEN 'owner' ELSE 'account' END AS ReferrerKind, currency,
        sum(amount_cents)::bigint AS AmountCents, count(*)::int AS Entries
        """;

    /// <summary>Entries of every currency, payable and not yet paid, whose referrer is owed more than nothing there.</summary>
    private const string PayableNow = $"""
        payout_id IS NULL AND reversed_at IS NULL AND payable_at <= @now
        AND ({Referrer}, currency) IN (SELECT {Referrer}, currency FROM commissions
                                       WHERE payout_id IS NULL AND reversed_at IS NULL AND payable_at <= @now
                                       GROUP BY 1, 2 HAVING sum(amount_cents) > 0)
        """;

    public async Task<(IReadOnlyList<CommissionEntry> Entries, IReadOnlyList<CommissionTotals> Totals)> ForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var entries = (await connection.QueryAsync<CommissionEntry>(new CommandDefinition($"""
            SELECT id AS CommissionId, invoice_id AS InvoiceId, referral_code AS ReferralCode, rate, amount_cents AS AmountCents, currency, {State} AS State,
                   created_at AS EarnedAt, payable_at AS PayableAt, reversed_at AS ReversedAt, reversal_reason AS Reason, adjusts, payout_id AS PayoutId
            FROM commissions WHERE referrer_account_id = @accountId
            ORDER BY created_at DESC, id
            """, new { accountId, now }, cancellationToken: cancellationToken))).ToList();
        var totals = entries.GroupBy(entry => entry.Currency).Select(currency => new CommissionTotals(currency.Key,
            currency.Where(entry => entry.State == "pending").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "payable").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "paid").Sum(entry => entry.AmountCents),
            currency.Where(entry => entry.State == "reversed").Sum(entry => entry.AmountCents))).ToList();
        return (entries, totals);
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

    /// <summary>
    /// Marks everything payable now as paid in one batch named by <paramref name="batchId"/>; the same name again answers
    /// the batch already recorded and pays nothing twice.
    /// </summary>
    /// <returns>The batch, and whether this call recorded it.</returns>
    public async Task<(PayoutBatch Batch, bool Created)> RecordPayoutAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var payoutId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "INSERT INTO commission_payouts (id, batch_key, created_at) VALUES (@id, @batchId, @now) ON CONFLICT (batch_key) DO NOTHING RETURNING id",
            new { id = Guid.CreateVersion7(), batchId, now }, transaction, cancellationToken: cancellationToken));
        var created = payoutId is not null;
        if (created)
        {
            await connection.ExecuteAsync(new CommandDefinition($"UPDATE commissions SET payout_id = @payoutId WHERE {PayableNow}",
                new { payoutId, now }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            payoutId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                "SELECT id FROM commission_payouts WHERE batch_key = @batchId", new { batchId }, transaction, cancellationToken: cancellationToken));
        }

        var batch = await connection.QuerySingleAsync<(Guid Id, DateTime CreatedAt)>(new CommandDefinition(
            "SELECT id, created_at FROM commission_payouts WHERE id = @payoutId", new { payoutId }, transaction, cancellationToken: cancellationToken));
        var payouts = (await connection.QueryAsync<PayableCommission>(new CommandDefinition($"""
            SELECT {PerReferrer}
            FROM commissions WHERE payout_id = @payoutId
            GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1
            """, new { payoutId }, transaction, cancellationToken: cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);
        return (new PayoutBatch(batch.Id, batchId, batch.CreatedAt, payouts), created);
    }
}
