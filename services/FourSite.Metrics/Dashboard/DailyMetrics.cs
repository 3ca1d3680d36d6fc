namespace FourSite.Metrics.Dashboard;

/// <summary>A platform and its share count.</summary>
public sealed record PlatformCount(string Platform, int Shares);

/// <summary>One UTC day of the business, as rolled up into <c>daily_business_metrics</c>.</summary>
public sealed record DailyMetrics(
    DateOnly Date,
    int Signups,
    int Generations,
    int Captures,
    double AvgViralScore,
    double ViralCoefficient,
    IReadOnlyList<PlatformCount> TopPlatforms,
    double GenerationSuccessRate,
    double AvgLeadScore,
    double AvgGenerationTimeMs,
    double Uptime,
    DateTimeOffset UpdatedAt,
    int Visitors = 0,
    int LeadVisitors = 0,
    double ConversionRate = 0,
    int DailyActiveUsers = 0,
    int SiteOwners = 0,
    int ProOwners = 0,
    double PremiumConversion = 0)
{
    /// <summary>The launch's five success metrics that day, against their targets.</summary>
    public IReadOnlyList<Kpi> Kpis => Dashboard.Kpis.Of(this);

    /// <summary>The names <c>GET /api/dashboard/historical?metric=</c> accepts, and how to read each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<DailyMetrics, double>> Series = new Dictionary<string, Func<DailyMetrics, double>>
    {
        ["signups"] = day => day.Signups,
        ["generations"] = day => day.Generations,
        ["captures"] = day => day.Captures,
        ["avgViralScore"] = day => day.AvgViralScore,
        ["viralCoefficient"] = day => day.ViralCoefficient,
        ["generationSuccessRate"] = day => day.GenerationSuccessRate,
        ["avgLeadScore"] = day => day.AvgLeadScore,
        ["avgGenerationTimeMs"] = day => day.AvgGenerationTimeMs,
        ["uptime"] = day => day.Uptime,
        ["conversionRate"] = day => day.ConversionRate,
        ["leadQuality"] = day => day.AvgLeadScore,
        ["dailyActiveUsers"] = day => day.DailyActiveUsers,
        ["premiumConversion"] = day => day.PremiumConversion,
    };
}
