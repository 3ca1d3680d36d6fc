namespace FourSite.Contracts.Viral;

/// <summary>
/// Event: a site's owner paid for Pro (a completed Stripe Checkout session, announced once). When a referral code came
/// with the checkout and its owner is someone else, <see cref="CommissionCents"/> is what that referrer earned.
/// </summary>
public sealed record SiteUpgraded(
    Guid UpgradeId,
    Guid SiteId,
    Guid OwnerId,
    string Plan,
    long AmountCents,
    string Currency,
    string? ReferralCode,
    long? CommissionCents,
    DateTimeOffset UpgradedAt);
