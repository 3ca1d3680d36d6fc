namespace FourSite.Viral.Payouts;

/// <summary>
/// One referrer's balance in one currency in a payout: <c>transfer</c> (a preview: it would be paid), <c>paid</c> (Stripe
/// accepted the transfer), <c>failed</c> (Stripe refused it; the entries stay payable and <see cref="Detail"/> says why),
/// <c>pending</c> (Stripe's answer was lost; the next run asks again and never pays twice) or <c>skipped</c>
/// (<see cref="Reason"/>: <c>sign_in_required</c>, <c>not_onboarded</c>, <c>payouts_not_enabled</c>, <c>below_minimum</c>).
/// </summary>
public sealed record PayoutLine(
    Guid ReferrerId,
    string ReferrerKind,
    string Currency,
    long AmountCents,
    int Entries,
    string Outcome,
    string? Reason = null,
    string? Detail = null,
    string? TransferId = null,
    string? BatchId = null);

/// <summary>A payout batch as run: its lines, and whether this call made the batch (a repeated call answers the same batch).</summary>
public sealed record PayoutRunResult(Guid PayoutId, string BatchId, DateTime CreatedAt, IReadOnlyList<PayoutLine> Payouts);

/// <summary>A transfer of a batch, as the history shows it.</summary>
public sealed record PayoutTransferView(Guid TransferId, string BatchId, Guid AccountId, string Currency, long AmountCents, int Entries, string State,
    string? StripeTransferId, long ReversedCents, string? Error, DateTime CreatedAt);
