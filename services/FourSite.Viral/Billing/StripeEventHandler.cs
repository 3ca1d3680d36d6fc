using Dapper;
using FourSite.Viral.Commissions;
using Npgsql;
using Stripe;
using Stripe.Checkout;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Billing;

/// <summary>What a webhook event did.</summary>
public enum WebhookOutcome
{
    Recorded,
    AlreadyHandled,
    Ignored,
}

/// <summary>
/// Applies one verified Stripe event: each event id once, everything it changes (upgrade, subscription, commission,
/// reversal, the site's Pro announcement, a referrer's payout account or a reversed transfer) in one transaction with
/// the id, so a retried delivery changes nothing.
/// </summary>
public sealed partial class StripeEventHandler(
    NpgsqlDataSource dataSource,
    UpgradeStore upgrades,
    SubscriptionLifecycle subscriptions,
    CommissionLedger ledger,
    StripeBillingClient stripe,
    Payouts.PayoutEvents payouts,
    ServiceDefaults.Outbox.Outbox outbox,
    ViralTelemetry telemetry,
    TimeProvider clock,
    ILogger<StripeEventHandler> logger)
{
    public async Task<WebhookOutcome> HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        // Refunds and disputes name a payment; the invoice it paid is asked of Stripe before the transaction opens.
        var reversal = await ReversalOfAsync(stripeEvent, cancellationToken);
        var now = clock.GetUtcNow();
        var eventAt = Utc(stripeEvent.Created);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var first = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO stripe_events (id, type) VALUES (@Id, @Type) ON CONFLICT (id) DO NOTHING",
            new { stripeEvent.Id, stripeEvent.Type }, transaction, cancellationToken: cancellationToken));
        if (first == 0)
        {
            return WebhookOutcome.AlreadyHandled;
        }

        Guid? site = stripeEvent.Data.Object switch
        {
            Session session when stripeEvent.Type is EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded
                // A delayed payment (bank debit) completes the session unpaid and succeeds later, in its own event.
                && session.PaymentStatus is not "unpaid" => await upgrades.RecordAsync(connection, transaction, session, now, cancellationToken),
            Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaid => await InvoicePaidAsync(connection, transaction, invoice, eventAt, cancellationToken),
            Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaymentFailed && SubscriptionOf(invoice) is { } subscriptionId =>
                await SubscriptionLifecycle.PaymentFailedAsync(connection, transaction, subscriptionId, eventAt, cancellationToken),
            Subscription subscription when stripeEvent.Type is EventTypes.CustomerSubscriptionUpdated =>
                await SubscriptionLifecycle.UpdatedAsync(connection, transaction, subscription, eventAt, cancellationToken),
            Subscription subscription when stripeEvent.Type is EventTypes.CustomerSubscriptionDeleted =>
                await SubscriptionLifecycle.DeletedAsync(connection, transaction, subscription.Id,
                    subscription.EndedAt is { } ended ? Utc(ended) : eventAt, cancellationToken),
            _ => null,
        };

        if (reversal is { } taken && await ledger.ReverseAsync(connection, transaction, taken.InvoiceId, taken.Cents, taken.Reason, now, cancellationToken) > 0)
        {
            telemetry.CommissionReversed(taken.Reason);
        }

        var connectChanged = await payouts.ApplyAsync(connection, transaction, stripeEvent, now, cancellationToken);

        if (site is { } siteId)
        {
            // Stamped after the rows are locked, so of two racing events the one that announces last is also the newest.
            await subscriptions.AnnounceAsync(connection, transaction, siteId, clock.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return site is not null || reversal is not null || connectChanged ? WebhookOutcome.Recorded : WebhookOutcome.Ignored;
    }

    /// <summary>A paid invoice extends its subscription to the period's end and pays the referrer their commission.</summary>
    private async Task<Guid?> InvoicePaidAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Invoice invoice, DateTimeOffset eventAt, CancellationToken cancellationToken)
    {
        if (SubscriptionOf(invoice) is not { } subscriptionId || SubscriptionFacts.From(invoice.Parent?.SubscriptionDetails?.Metadata) is not { } facts)
        {
            LogNotOurs(logger, invoice.Id);
            return null;
        }

        var period = invoice.Lines?.Data?.FirstOrDefault()?.Period;
        var paidAt = invoice.StatusTransitions?.PaidAt is { } paid ? Utc(paid) : eventAt;
        var paidUntil = period is not null && period.End != default ? Utc(period.End) : paidAt.Add(facts.Plan.Period);
        await SubscriptionLifecycle.PaidAsync(connection, transaction, subscriptionId, facts, invoice.CustomerId, paidUntil, estimated: false, cancellationToken);

        // The first invoice's commission was entered with its checkout when the session named it; a checkout that named
        // none entered it under the subscription, and the first invoice does not add a second.
        var firstAlreadyEarned = invoice.BillingReason == "subscription_create" && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM commissions WHERE subscription_id = @subscriptionId AND upgrade_id IS NOT NULL)",
            new { subscriptionId }, transaction, cancellationToken: cancellationToken));
        if (!firstAlreadyEarned && invoice.AmountPaid > 0
            && await ledger.EarnAsync(connection, transaction, facts, new PaidInvoice(invoice.Id, subscriptionId, invoice.AmountPaid, invoice.Currency, paidAt), null, cancellationToken) is not null)
        {
            telemetry.CommissionEarned(facts.Plan.Name);
        }

        return facts.SiteId;
    }

    private static string? SubscriptionOf(Invoice invoice) => invoice.Parent?.SubscriptionDetails?.SubscriptionId;

    private async Task<Reversal?> ReversalOfAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        var (paymentIntent, cents, reason) = stripeEvent.Data.Object switch
        {
            Charge charge when stripeEvent.Type is EventTypes.ChargeRefunded => (charge.PaymentIntentId, charge.AmountRefunded, "refund"),
            // A disputed payment's commission goes whole: the dispute is on top of any refund, and its outcome is months away.
            Dispute dispute when stripeEvent.Type is EventTypes.ChargeDisputeCreated => (dispute.PaymentIntentId, long.MaxValue, "dispute"),
            _ => (null, 0L, ""),
        };
        if (paymentIntent is null)
        {
            return null;
        }

        return await stripe.InvoiceOfPaymentAsync(paymentIntent, cancellationToken) is { } invoiceId ? new Reversal(invoiceId, cents, reason) : null;
    }

    private sealed record Reversal(string InvoiceId, long Cents, string Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoice {InvoiceId} was paid for no FourSite subscription; ignored")]
    private static partial void LogNotOurs(ILogger logger, string invoiceId);
}
