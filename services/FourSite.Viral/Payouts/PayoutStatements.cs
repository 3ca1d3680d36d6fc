using Dapper;
using Npgsql;

namespace FourSite.Viral.Payouts;

/// <summary>A transfer a referrer was paid, with the ledger entries it paid.</summary>
public sealed record ReferrerTransfer(Guid TransferId, string BatchId, string Currency, long AmountCents, string State, string? StripeTransferId, long ReversedCents,
    DateTime CreatedAt, IReadOnlyList<TransferredEntry> Entries);

public sealed record TransferredEntry(Guid CommissionId, string? InvoiceId, long AmountCents, DateTime EarnedAt);

/// <summary>One ledger entry of a referrer's monthly statement.</summary>
public sealed record StatementEntry(Guid CommissionId, DateTime EarnedAt, string? InvoiceId, string Currency, long AmountCents, string State, string? BatchId,
    string? StripeTransferId);

/// <summary>What a referrer sees of their money: the transfers they were paid, and each month's entries.</summary>
public sealed class PayoutStatements(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReferrerTransfer>> TransfersAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT t.id AS TransferId, b.batch_key AS BatchId, t.currency, t.amount_cents AS AmountCents, t.state, t.stripe_transfer_id AS StripeTransferId,
                   t.reversed_cents AS ReversedCents, t.created_at AS CreatedAt
            FROM payout_transfers t JOIN commission_payouts b ON b.id = t.payout_id
            WHERE t.account_id = @accountId AND t.state <> 'failed'
            ORDER BY t.created_at DESC LIMIT 100;
            SELECT c.transfer_id AS TransferId, c.id AS CommissionId, c.invoice_id AS InvoiceId, c.amount_cents AS AmountCents, c.created_at AS EarnedAt
            FROM commissions c JOIN payout_transfers t ON t.id = c.transfer_id
            WHERE t.account_id = @accountId
            ORDER BY c.created_at;
            """, new { accountId }, cancellationToken: cancellationToken));
        var transfers = (await results.ReadAsync<(Guid TransferId, string BatchId, string Currency, long AmountCents, string State, string? StripeTransferId, long ReversedCents,
            DateTime CreatedAt)>()).ToList();
        var entries = (await results.ReadAsync<(Guid TransferId, Guid CommissionId, string? InvoiceId, long AmountCents, DateTime EarnedAt)>())
            .ToLookup(entry => entry.TransferId, entry => new TransferredEntry(entry.CommissionId, entry.InvoiceId, entry.AmountCents, entry.EarnedAt));
        return transfers.Select(transfer => new ReferrerTransfer(transfer.TransferId, transfer.BatchId, transfer.Currency, transfer.AmountCents, transfer.State,
            transfer.StripeTransferId, transfer.ReversedCents, transfer.CreatedAt, entries[transfer.TransferId].ToList())).ToList();
    }

    /// <summary>The entries a referrer earned (or had adjusted) in the month starting <paramref name="first"/>, with their state now.</summary>
    public async Task<IReadOnlyList<StatementEntry>> MonthAsync(Guid accountId, DateOnly first, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return (await connection.QueryAsync<StatementEntry>(new CommandDefinition("""
            SELECT c.id AS CommissionId, c.created_at AS EarnedAt, c.invoice_id AS InvoiceId, c.currency, c.amount_cents AS AmountCents,
                   CASE WHEN c.reversed_at IS NOT NULL THEN 'reversed' WHEN c.payout_id IS NOT NULL THEN 'paid'
                        WHEN c.hold_reason IS NOT NULL AND c.released_at IS NULL THEN 'held' WHEN c.payable_at <= @now THEN 'payable' ELSE 'pending' END AS State,
                   b.batch_key AS BatchId, t.stripe_transfer_id AS StripeTransferId
            FROM commissions c
            LEFT JOIN payout_transfers t ON t.id = c.transfer_id AND c.payout_id IS NOT NULL
            LEFT JOIN commission_payouts b ON b.id = c.payout_id
            WHERE c.referrer_account_id = @accountId AND c.created_at >= @from AND c.created_at < @from + interval '1 month'
            ORDER BY c.created_at, c.id
            """, new { accountId, from, now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToList();
    }
}
