namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: an owner removed their site. Leads drops the site's leads and Viral its shares, visits, conversions and score;
/// both refuse anything new for it. Records of money (upgrades, commissions) and of history (jobs, analytics events) stay.
/// </summary>
public sealed record SiteRemoved(Guid SiteId, string Slug, DateTimeOffset RemovedAt);
