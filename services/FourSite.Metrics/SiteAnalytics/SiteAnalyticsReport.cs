namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// <c>GET /api/sites/{siteId}/analytics</c>: a site's visitors and page views per day over the period, where they came
/// from, on what devices, the funnel from visit to capture to confirmed subscription, shares per channel with the visits
/// each brought, and its real-user vitals at the 75th percentile. A visitor is counted once a day (no cookie follows
/// them longer), so a period's visitors are the sum of its days'.
/// </summary>
public sealed record SiteAnalyticsReport(
    Guid SiteId,
    string Period,
    DateOnly From,
    DateOnly To,
    AnalyticsTotals Totals,
    IReadOnlyList<AnalyticsDay> Days,
    AnalyticsSources Sources,
    IReadOnlyList<AnalyticsCount> Devices,
    AnalyticsFunnel Funnel,
    IReadOnlyList<ChannelShares> Shares,
    AnalyticsVitals Vitals);

public sealed record AnalyticsTotals(int Visitors, int PageViews, int Captures, int Confirmed, int Shares);

public sealed record AnalyticsDay(DateOnly Date, int Visitors, int PageViews, int Captures, int Confirmed, int Shares);

/// <summary>The top sources of each kind: other sites (by host; <c>(direct)</c> for none), share channels and campaign tags.</summary>
public sealed record AnalyticsSources(
    IReadOnlyList<AnalyticsCount> Referrers,
    IReadOnlyList<AnalyticsCount> Channels,
    IReadOnlyList<AnalyticsCount> UtmSources,
    IReadOnlyList<AnalyticsCount> UtmCampaigns);

public sealed record AnalyticsCount(string Name, int Visitors, int PageViews);

/// <summary>Visitors, how many of them left their email, and how many confirmed a subscription; each rate against the step before.</summary>
public sealed record AnalyticsFunnel(int Visitors, int Captures, int Confirmed, double? CaptureRate, double? ConfirmationRate);

public sealed record ChannelShares(string Channel, int Shares, int Visits);

/// <summary>
/// The 75th percentile over the period of each vital, from each day's 75th percentile weighted by its samples, and the
/// samples behind it; null without a sample.
/// </summary>
public sealed record AnalyticsVitals(double? LcpP75, int LcpSamples, double? InpP75, int InpSamples, double? ClsP75, int ClsSamples);
