namespace FourSite.Contracts.Viral;

/// <summary>Event: a site was shared (counted shares only; a repeat within the dedupe window is not announced).</summary>
public sealed record ShareTracked(Guid ShareId, Guid SiteId, string Platform, string? ReferralCode, double ViralScore, DateTimeOffset TrackedAt)
{
    /// <summary>
    /// The site's id under its former name: still written for consumers deployed before <see cref="SiteId"/>, and read
    /// from messages their producers sent. Remove once no deployment runs them.
    /// </summary>
    [Obsolete("Use SiteId.")]
    public Guid WebsiteId { get => SiteId; init => SiteId = value; }
}
