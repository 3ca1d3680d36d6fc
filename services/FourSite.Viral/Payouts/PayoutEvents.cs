using Dapper;
using Npgsql;
using Stripe;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Payouts;

/// <summary>
/// Stripe's Connect events at the billing webhook, applied in its transaction (each event once): <c>account.updated</c>
/// keeps a referrer's payout state current; <c>transfer.reversed</c> gives back what a reversal took: a transfer
/// reversed whole makes its entries payable again; a part reversed is entered as an adjustment payable again, its
/// entries staying paid.
/// </summary>
public sealed partial class PayoutEvents(PayoutAccounts accounts, ViralTelemetry telemetry, ILogger<PayoutEvents> logger)
{
    /// <returns>Whether the event was a Connect event that changed something.</returns>
    public async Task<bool> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Event stripeEvent, DateTimeOffset now, CancellationToken cancellationToken) =>
        stripeEvent.Data.Object switch
        {
            Account account when stripeEvent.Type == EventTypes.AccountUpdated =>
                await accounts.ApplyAsync(connection, transaction, account, Utc(stripeEvent.Created), cancellationToken),
            Transfer transfer when stripeEvent.Type == EventTypes.TransferReversed => await ReversedAsync(connection, transaction, transfer, now, cancellationToken),
            _ => false,
        };

    private async Task<bool> ReversedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Transfer transfer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, long AmountCents, long ReversedCents, string Currency)>(new CommandDefinition("""
            SELECT id, amount_cents, reversed_cents, currency FROM payout_transfers
            WHERE stripe_transfer_id = @Id AND state IN ('paid', 'partially_reversed')
            FOR UPDATE
            """, new { transfer.Id }, transaction, cancellationToken: cancellationToken));
        // Stripe reports the running total reversed: only what is new since the last report counts.
        if (row.Id == Guid.Empty || transfer.AmountReversed <= row.ReversedCents)
        {
            return false;
        }

        var whole = row.ReversedCents == 0 && transfer.AmountReversed >= row.AmountCents;
        if (whole)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE commissions SET payout_id = NULL, transfer_id = NULL WHERE transfer_id = @Id",
                new { row.Id }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO commissions (id, referrer_owner_id, referred_owner_id, referral_code, rate, amount_cents, currency, referrer_account_id,
                                         created_at, payable_at, reversal_reason)
                SELECT @adjustmentId, referrer_owner_id, referred_owner_id, referral_code, rate, @back, currency, referrer_account_id, @now, @now, 'transfer_reversed'
                FROM commissions WHERE transfer_id = @Id
                ORDER BY created_at, id LIMIT 1
                """, new { adjustmentId = Guid.CreateVersion7(), back = transfer.AmountReversed - row.ReversedCents, now, row.Id }, transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payout_transfers
            SET state = CASE WHEN @whole OR @AmountReversed >= amount_cents THEN 'reversed' ELSE 'partially_reversed' END, reversed_cents = @AmountReversed, updated_at = @now
            WHERE id = @Id
            """, new { whole, transfer.AmountReversed, now, row.Id }, transaction, cancellationToken: cancellationToken));
        telemetry.PayoutReversed(row.Currency);
        LogReversed(logger, transfer.Id, transfer.AmountReversed - row.ReversedCents, row.Currency);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe transfer {StripeTransferId} reversed by {Cents} {Currency} cents: owed to the referrer again")]
    private static partial void LogReversed(ILogger logger, string stripeTransferId, long cents, string currency);
}
