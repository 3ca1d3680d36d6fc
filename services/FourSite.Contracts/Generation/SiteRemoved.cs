namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: an owner removed their site. Every service drops what it holds for it; records of money (upgrades,
/// commissions) stay.
/// </summary>
public sealed record SiteRemoved(Guid SiteId, string Slug, DateTimeOffset RemovedAt);
