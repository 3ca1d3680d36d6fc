namespace FourSite.Metrics.SiteAnalytics;

/// <summary>The periods an owner reads: the last 7, 30 or 90 days, today included.</summary>
public static class AnalyticsPeriods
{
    public const string Default = "30d";

    public static readonly IReadOnlyDictionary<string, int> Days = new Dictionary<string, int> { ["7d"] = 7, ["30d"] = 30, ["90d"] = 90 };

    public static (DateOnly From, DateOnly To) Of(string period, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return (today.AddDays(1 - Days[period]), today);
    }
}
