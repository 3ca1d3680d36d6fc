namespace FourSite.Contracts.Viral;

/// <summary>Event: a site's viral score crossed the featuring threshold; it joins the showcase (once, ever).</summary>
public sealed record SiteFeatured(Guid SiteId, double ViralScore, double Threshold, DateTimeOffset FeaturedAt)
{
    /// <summary>
    /// The site's id under its former name: still written for consumers deployed before <see cref="SiteId"/>, and read
    /// from messages their producers sent. Remove once no deployment runs them.
    /// </summary>
    [Obsolete("Use SiteId.")]
    public Guid WebsiteId { get => SiteId; init => SiteId = value; }
}
