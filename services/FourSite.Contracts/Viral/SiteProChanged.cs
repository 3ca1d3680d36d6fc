namespace FourSite.Contracts.Viral;

/// <summary>
/// Event: what a site's Pro subscription now gives it, after any change Stripe reported. The site is Pro while
/// <see cref="ProUntil"/> is in the future (the paid period, or the grace period after a failed payment); consumers keep
/// the latest by <see cref="ChangedAt"/>.
/// </summary>
public sealed record SiteProChanged(
    Guid SiteId,
    string? Plan,
    DateTimeOffset? ProUntil,
    DateTimeOffset? RenewsAt,
    DateTimeOffset? CancelAt,
    DateTimeOffset? GraceUntil,
    DateTimeOffset ChangedAt);
