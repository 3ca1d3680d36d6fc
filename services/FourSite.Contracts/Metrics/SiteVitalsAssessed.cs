namespace FourSite.Contracts.Metrics;

/// <summary>
/// Event: real users' Core Web Vitals of the generated site at <c>/s/{Slug}</c> over the last 7 days: the 75th percentile
/// of LCP (ms), CLS and INP (ms), from <see cref="Samples"/> beacons. <see cref="Assessment"/> is <c>good</c> (enough
/// samples, every vital within Google's "good" threshold), <c>poor</c> (one is not) or <c>insufficient_samples</c>.
/// Later assessments carry a later <see cref="AssessedAt"/>.
/// </summary>
public sealed record SiteVitalsAssessed(string Slug, double? LcpP75, double? ClsP75, double? InpP75, int Samples, string Assessment, DateTimeOffset AssessedAt);
