namespace FourSite.Contracts.Leads;

/// <summary>
/// Event: one of the platform's checks saw something on a site that a person should look at (<see cref="Check"/>, e.g.
/// <c>capture_burst</c>); Generation puts the site in the moderation queue. Nothing is suspended on a flag.
/// </summary>
public sealed record SiteFlagged(Guid SiteId, string Check, string Details, DateTimeOffset FlaggedAt);
