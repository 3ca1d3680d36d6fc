namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: an operator suspended a site (<see cref="Kind"/> <c>abuse</c> or <c>legal</c>). Its page and data are withdrawn
/// until <see cref="SiteReinstated"/>: Leads refuses captures for it and tells its owner why, Viral drops it from the
/// showcase. Nothing is deleted.
/// </summary>
public sealed record SiteSuspended(Guid SiteId, string Slug, string Kind, string Reason, DateTimeOffset SuspendedAt);
