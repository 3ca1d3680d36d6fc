namespace FourSite.Generation.Writers;

/// <summary>The words of a site, as a writer produced them (sanitised later, in <see cref="SiteData"/>).</summary>
public sealed record SiteCopy(string Title, string Tagline, string Description, IReadOnlyList<string> Features, IReadOnlyList<string> TechStack);
