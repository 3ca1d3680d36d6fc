namespace FourSite.Contracts.Generation;

/// <summary>Event: an operator lifted a site's suspension; it is served, captures leads and may be featured again.</summary>
public sealed record SiteReinstated(Guid SiteId, string Slug, DateTimeOffset ReinstatedAt);
