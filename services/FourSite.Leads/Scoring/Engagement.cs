namespace FourSite.Leads.Scoring;

/// <summary>
/// What a person did across their captures on one site. A repeat capture adds to it: time and interactions add up,
/// the deepest scroll counts, interests, platforms and sections are united, an opt-in is never taken back.
/// </summary>
public sealed record Engagement(
    bool NewsletterOptIn,
    IReadOnlyList<string> Interests,
    IReadOnlyList<string> Platforms,
    double TimeOnSiteSeconds,
    double ScrollDepth,
    int Interactions,
    IReadOnlyList<string> SectionsViewed)
{
    private const int MaxItems = 10;
    private const int MaxSections = 30;
    private const double MaxTimeOnSite = 7 * 86_400;
    private const int MaxInteractions = 1_000_000;

    public Engagement Merge(Engagement later) => new(
        NewsletterOptIn || later.NewsletterOptIn,
        Union(Interests, later.Interests, MaxItems),
        Union(Platforms, later.Platforms, MaxItems),
        Math.Min(TimeOnSiteSeconds + later.TimeOnSiteSeconds, MaxTimeOnSite),
        Math.Max(ScrollDepth, later.ScrollDepth),
        (int)Math.Min((long)Interactions + later.Interactions, MaxInteractions),
        Union(SectionsViewed, later.SectionsViewed, MaxSections));

    public LeadSignals SignalsFor(string normalisedEmail) =>
        new(normalisedEmail, NewsletterOptIn, Interests.Count, Platforms.Count, TimeOnSiteSeconds, ScrollDepth, Interactions, SectionsViewed.Count);

    private static List<string> Union(IEnumerable<string> first, IEnumerable<string> second, int max) =>
        first.Concat(second).Distinct(StringComparer.OrdinalIgnoreCase).Take(max).ToList();
}
