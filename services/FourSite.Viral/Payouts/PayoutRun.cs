using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Timeout;
using Stripe;

namespace FourSite.Viral.Payouts;

/// <summary>
/// Pays referrers through Stripe Connect: for each referrer whose payable balance reaches the minimum and whose Express
/// account can receive payouts, one transfer per currency. Its entries are reserved first, then Stripe is asked (with an
/// idempotency key of the batch, account, currency and attempt), and they become paid only with the transfer Stripe
/// accepted, in one transaction. A refusal gives them back with Stripe's reason; a lost answer leaves the transfer
/// pending, and the next run asks Stripe whether it made it before asking again, so no balance is paid twice.
/// </summary>
public sealed partial class PayoutRun(NpgsqlDataSource dataSource, StripeConnect connect, IOptions<PayoutOptions> options, ViralTelemetry telemetry, TimeProvider clock,
    ILogger<PayoutRun> logger)
{
    /// <summary>Entries that are payable now and not reserved by a transfer under way.</summary>
    private const string Payable = """
        c.payout_id IS NULL AND c.transfer_id IS NULL AND c.reversed_at IS NULL AND c.payable_at <= @now AND (c.hold_reason IS NULL OR c.released_at IS NOT NULL)
        """;

    /// <summary>What one referrer is owed in one currency, and where they stand with Stripe (a class: Dapper fills arrays into properties).</summary>
    private sealed class Balance
    {
        public Guid ReferrerId { get; init; }

        public Guid? AccountId { get; init; }

        public string Currency { get; init; } = "";

        public long AmountCents { get; init; }

        public int Entries { get; init; }

        public string? StripeAccountId { get; init; }

        public bool PayoutsEnabled { get; init; }

        public string[]? RequirementsDue { get; init; }

        public string? DisabledReason { get; init; }
    }

    /// <summary>Who a payout now would pay, how much, and who it would skip and why; nothing changes.</summary>
    public async Task<IReadOnlyList<PayoutLine>> PreviewAsync(CancellationToken cancellationToken) =>
        (await BalancesAsync(cancellationToken)).Select(balance => Skip(balance) is { } skip ? Line(balance, "skipped", skip) : Line(balance, "transfer", default)).ToList();

    /// <summary>Runs the batch <paramref name="batchId"/>: transfers left pending by an interrupted run first, then every eligible balance.</summary>
    public async Task<(PayoutRunResult Result, bool Created)> RunAsync(string batchId, CancellationToken cancellationToken)
    {
        var (payoutId, createdAt, created) = await BatchAsync(batchId, cancellationToken);
        var lines = new List<PayoutLine>();
        foreach (var pending in await PendingAsync(cancellationToken))
        {
            lines.Add(await SettleAsync(pending, askFirst: true, cancellationToken));
        }

        foreach (var balance in await BalancesAsync(cancellationToken))
        {
            if (Skip(balance) is { } skip)
            {
                lines.Add(Line(balance, "skipped", skip));
            }
            else if (await ReserveAsync(payoutId, batchId, balance, cancellationToken) is { } planned)
            {
                lines.Add(await SettleAsync(planned, askFirst: planned.Attempt > 1, cancellationToken));
            }
        }

        // A repeated batch also answers what it paid before.
        var paidBefore = (await TransfersAsync(payoutId, cancellationToken))
            .Where(transfer => transfer.State is "paid" or "reversed" or "partially_reversed" && lines.All(line => line.TransferId != transfer.StripeTransferId))
            .Select(transfer => new PayoutLine(transfer.AccountId, "account", transfer.Currency, transfer.AmountCents, transfer.Entries, transfer.State, TransferId: transfer.StripeTransferId,
                BatchId: batchId));
        return (new PayoutRunResult(payoutId, batchId, createdAt, [.. paidBefore, .. lines]), created);
    }

    /// <summary>The transfers of one batch, or of one referrer, newest first.</summary>
    public async Task<IReadOnlyList<PayoutTransferView>> TransfersAsync(Guid? payoutId, CancellationToken cancellationToken, Guid? accountId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PayoutTransferView>(new CommandDefinition("""
            SELECT t.id AS TransferId, b.batch_key AS BatchId, t.account_id AS AccountId, t.currency, t.amount_cents AS AmountCents, t.entries, t.state,
                   t.stripe_transfer_id AS StripeTransferId, t.reversed_cents AS ReversedCents, t.error, t.created_at AS CreatedAt
            FROM payout_transfers t JOIN commission_payouts b ON b.id = t.payout_id
            WHERE (@payoutId IS NULL OR t.payout_id = @payoutId) AND (@accountId IS NULL OR t.account_id = @accountId)
            ORDER BY t.created_at DESC, t.id
            LIMIT 500
            """, new { payoutId, accountId }, cancellationToken: cancellationToken))).ToList();
    }

    private (string Reason, string Detail)? Skip(Balance balance)
    {
        var minimum = options.Value.MinimumCents;
        if (balance.AccountId is null)
        {
            return ("sign_in_required", "Earned through an owner link: the referrer signs in and claims the site to be paid.");
        }

        if (balance.StripeAccountId is null)
        {
            return ("not_onboarded", "The referrer has not set up payouts (\"Get paid\" on the dashboard).");
        }

        if (!balance.PayoutsEnabled)
        {
            var due = balance.RequirementsDue ?? [];
            return ("payouts_not_enabled", balance.DisabledReason is { } disabled ? $"Stripe has paused payouts to this account: {disabled}."
                : due.Length > 0 ? $"Stripe still needs: {string.Join(", ", due)}." : "Stripe is verifying the account.");
        }

        return balance.AmountCents < minimum
            ? ("below_minimum", $"{balance.AmountCents / 100m:0.00} {balance.Currency.ToUpperInvariant()} is under the minimum of {minimum / 100m:0.00}; it waits for the next payout.")
            : null;
    }

    private static PayoutLine Line(Balance balance, string outcome, (string Reason, string Detail)? skip) =>
        new(balance.ReferrerId, balance.AccountId is null ? "owner" : "account", balance.Currency, balance.AmountCents, balance.Entries, outcome, skip?.Reason, skip?.Detail);

    private async Task<IReadOnlyList<Balance>> BalancesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Balance>(new CommandDefinition($"""
            SELECT coalesce(c.referrer_account_id, c.referrer_owner_id) AS ReferrerId, c.referrer_account_id AS AccountId, c.currency,
                   sum(c.amount_cents)::bigint AS AmountCents, count(*)::int AS Entries, p.stripe_account_id AS StripeAccountId,
                   coalesce(p.payouts_enabled, false) AS PayoutsEnabled, p.requirements_due AS RequirementsDue, p.disabled_reason AS DisabledReason
            FROM commissions c LEFT JOIN payout_accounts p ON p.account_id = c.referrer_account_id
            WHERE {Payable}
            GROUP BY 1, 2, 3, 6, 7, 8, 9
            HAVING sum(c.amount_cents) <> 0
            ORDER BY 4 DESC, 1
            """, new { now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToList();
    }

    private async Task<(Guid PayoutId, DateTime CreatedAt, bool Created)> BatchAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var created = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO commission_payouts (id, batch_key, created_at) VALUES (@id, @batchId, @now) ON CONFLICT (batch_key) DO NOTHING",
            new { id = Guid.CreateVersion7(), batchId, now = clock.GetUtcNow() }, cancellationToken: cancellationToken)) == 1;
        var batch = await connection.QuerySingleAsync<(Guid Id, DateTime CreatedAt)>(new CommandDefinition(
            "SELECT id, created_at FROM commission_payouts WHERE batch_key = @batchId", new { batchId }, cancellationToken: cancellationToken));
        return (batch.Id, batch.CreatedAt, created);
    }

    /// <summary>
    /// Reserves a referrer's payable entries in one currency for a transfer of this batch (a new one, or the next attempt
    /// of one Stripe refused); null when the batch already has one under way or paid, or the balance fell under the minimum.
    /// </summary>
    private async Task<PlannedTransfer?> ReserveAsync(Guid payoutId, string batchId, Balance balance, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var reserved = await connection.QuerySingleOrDefaultAsync<(Guid Id, int Attempt)>(new CommandDefinition("""
            INSERT INTO payout_transfers (id, payout_id, account_id, stripe_account_id, currency, amount_cents, entries, state, created_at, updated_at)
            VALUES (@id, @payoutId, @AccountId, @StripeAccountId, @Currency, 0, 0, 'pending', @now, @now)
            ON CONFLICT (payout_id, account_id, currency) DO UPDATE
            SET attempt = payout_transfers.attempt + 1, state = 'pending', error = NULL, stripe_account_id = excluded.stripe_account_id, updated_at = excluded.updated_at
            WHERE payout_transfers.state = 'failed'
            RETURNING id, attempt
            """, new { id = Guid.CreateVersion7(), payoutId, balance.AccountId, balance.StripeAccountId, balance.Currency, now }, transaction, cancellationToken: cancellationToken));
        if (reserved.Id == Guid.Empty)
        {
            return null;
        }

        var total = await connection.QuerySingleAsync<(long Cents, int Entries)>(new CommandDefinition($"""
            WITH taken AS (
                UPDATE commissions c SET transfer_id = @Id
                WHERE c.referrer_account_id = @AccountId AND c.currency = @Currency AND {Payable}
                RETURNING c.amount_cents)
            SELECT coalesce(sum(amount_cents), 0)::bigint, count(*)::int FROM taken
            """, new { reserved.Id, balance.AccountId, balance.Currency, now }, transaction, cancellationToken: cancellationToken));
        if (total.Cents < options.Value.MinimumCents)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition("UPDATE payout_transfers SET amount_cents = @Cents, entries = @Entries WHERE id = @Id",
            new { total.Cents, total.Entries, reserved.Id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new PlannedTransfer(reserved.Id, batchId, balance.AccountId!.Value, balance.StripeAccountId!, balance.Currency, total.Cents, reserved.Attempt);
    }

    private async Task<IReadOnlyList<PlannedTransfer>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PlannedTransfer>(new CommandDefinition("""
            SELECT t.id AS TransferId, b.batch_key AS BatchId, t.account_id AS AccountId, t.stripe_account_id AS StripeAccountId, t.currency,
                   t.amount_cents AS AmountCents, t.attempt
            FROM payout_transfers t JOIN commission_payouts b ON b.id = t.payout_id
            WHERE t.state = 'pending' AND t.amount_cents > 0
            ORDER BY t.created_at
            """, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Asks Stripe for the transfer (first whether it already made it, when an earlier answer may have been lost) and records the outcome.</summary>
    private async Task<PayoutLine> SettleAsync(PlannedTransfer planned, bool askFirst, CancellationToken cancellationToken)
    {
        var line = new PayoutLine(planned.AccountId, "account", planned.Currency, planned.AmountCents, 0, "pending", BatchId: planned.BatchId);
        var entries = await EntriesAsync(planned.TransferId, cancellationToken);
        line = line with { Entries = entries.Count };
        try
        {
            var transfer = (askFirst ? await MadeAlreadyAsync(planned, cancellationToken) : null) ?? await connect.TransferAsync(planned, entries, cancellationToken);
            await RecordAsync(planned, "paid", transfer.Id, null, cancellationToken);
            telemetry.PayoutTransferred(planned.Currency, planned.AmountCents);
            LogPaid(logger, planned.AmountCents, planned.Currency, planned.AccountId, transfer.Id, planned.BatchId);
            return line with { Outcome = "paid", TransferId = transfer.Id };
        }
        catch (StripeException exception) when (IsRefusal(exception))
        {
            var reason = exception.StripeError?.Message ?? exception.Message;
            await RecordAsync(planned, "failed", null, reason, cancellationToken);
            telemetry.PayoutFailed(planned.Currency);
            LogRefused(logger, planned.AccountId, planned.BatchId, reason);
            return line with { Outcome = "failed", Reason = "stripe_refused", Detail = reason };
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or TimeoutRejectedException
                                          || exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(planned, "pending", null, $"No answer from Stripe ({exception.Message}); the next run asks again.", cancellationToken);
            LogUnanswered(logger, planned.AccountId, planned.BatchId, exception.Message);
            return line with { Reason = "no_answer", Detail = "Stripe's answer was lost; the next run asks Stripe whether it made the transfer, and never pays twice." };
        }
    }

    /// <summary>A client error is Stripe's refusal; a conflict (the same key still in flight), a rate limit or a server error is not an answer.</summary>
    private static bool IsRefusal(StripeException exception) =>
        (int)exception.HttpStatusCode is >= 400 and < 500 and not 409 and not 429;

    /// <summary>The transfer Stripe made for this one before, found in its batch's transfer group by the id it carries.</summary>
    private async Task<Transfer?> MadeAlreadyAsync(PlannedTransfer planned, CancellationToken cancellationToken)
    {
        var made = await connect.TransfersOfGroupAsync(planned.BatchId, planned.StripeAccountId, cancellationToken);
        return made.FirstOrDefault(transfer => transfer.Metadata?.GetValueOrDefault("foursite_transfer_id") == planned.TransferId.ToString());
    }

    private async Task<IReadOnlyList<Guid>> EntriesAsync(Guid transferId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM commissions WHERE transfer_id = @transferId ORDER BY created_at, id", new { transferId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Paid: the entries join the batch with Stripe's transfer id. Failed: they are payable again. Pending: only the note changes.</summary>
    private async Task RecordAsync(PlannedTransfer planned, string state, string? stripeTransferId, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payout_transfers SET state = @state, stripe_transfer_id = coalesce(@stripeTransferId, stripe_transfer_id), error = @error, updated_at = @now
            WHERE id = @TransferId AND state = 'pending'
            """, new { planned.TransferId, state, stripeTransferId, error, now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
        if (changed == 1 && state == "paid")
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE commissions SET payout_id = (SELECT payout_id FROM payout_transfers WHERE id = @TransferId) WHERE transfer_id = @TransferId",
                new { planned.TransferId }, transaction, cancellationToken: cancellationToken));
        }
        else if (changed == 1 && state == "failed")
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE commissions SET transfer_id = NULL WHERE transfer_id = @TransferId",
                new { planned.TransferId }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Paid {AmountCents} {Currency} cents to referrer {AccountId} (Stripe transfer {StripeTransferId}, batch {BatchId})")]
    private static partial void LogPaid(ILogger logger, long amountCents, string currency, Guid accountId, string stripeTransferId, string batchId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe refused the transfer to referrer {AccountId} in batch {BatchId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid accountId, string batchId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No answer from Stripe for the transfer to referrer {AccountId} in batch {BatchId}; it stays pending: {Reason}")]
    private static partial void LogUnanswered(ILogger logger, Guid accountId, string batchId, string reason);
}
