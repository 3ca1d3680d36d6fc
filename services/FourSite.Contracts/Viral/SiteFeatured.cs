namespace FourSite.Contracts.Viral;

/// <summary>Event: a site's viral score crossed the featuring threshold; it joins the showcase (once, ever).</summary>
public sealed record SiteFeatured(Guid WebsiteId, double ViralScore, double Threshold, DateTimeOffset FeaturedAt);
