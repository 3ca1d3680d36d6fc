namespace FourSite.Contracts.Viral;

/// <summary>Event: a site's shares reached a milestone (10, 100, 1,000): announced once each, by the share that reached it.</summary>
public sealed record ShareMilestoneReached(Guid SiteId, int Shares, DateTimeOffset ReachedAt)
{
    /// <summary>
    /// The site's id under its former name: still written for consumers deployed before <see cref="SiteId"/>, and read
    /// from messages their producers sent. Remove once no deployment runs them.
    /// </summary>
    [Obsolete("Use SiteId.")]
    public Guid WebsiteId { get => SiteId; init => SiteId = value; }
}
