namespace FourSite.Contracts.Leads;

/// <summary>
/// Event: a visitor confirmed, through the emailed link, the newsletter subscription they asked for on a site: the last
/// step of the site's funnel (visit, capture, confirmed). It names no one.
/// </summary>
public sealed record SubscriptionConfirmed(Guid SubscriptionId, Guid SiteId, DateTimeOffset ConfirmedAt);
