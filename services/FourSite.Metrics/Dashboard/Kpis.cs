namespace FourSite.Metrics.Dashboard;

/// <summary>One of the launch's success metrics on a day: its value, its target, and whether the day met it.</summary>
public sealed record Kpi(string Name, string Label, double Value, string Comparison, double Target, bool Met);

/// <summary>
/// The five numbers the launch is judged by, with their targets: landing-to-lead conversion above 15 %, average lead
/// quality above 60, viral coefficient above 1.5, 1,000 or more daily active users, premium conversion above 5 %.
/// </summary>
public static class Kpis
{
    public const string Above = "above";
    public const string AtLeast = "atLeast";

    private static readonly (string Name, string Label, string Comparison, double Target, Func<DailyMetrics, double> Read)[] Targets =
    [
        ("conversionRate", "Landing-to-lead conversion", Above, 0.15, day => day.ConversionRate),
        ("leadQuality", "Average lead quality", Above, 60, day => day.AvgLeadScore),
        ("viralCoefficient", "Viral coefficient (K)", Above, 1.5, day => day.ViralCoefficient),
        ("dailyActiveUsers", "Daily active users", AtLeast, 1_000, day => day.DailyActiveUsers),
        ("premiumConversion", "Premium conversion", Above, 0.05, day => day.PremiumConversion),
    ];

    public static IReadOnlyList<Kpi> Of(DailyMetrics day) => Targets.Select(kpi =>
    {
        var value = kpi.Read(day);
        return new Kpi(kpi.Name, kpi.Label, value, kpi.Comparison, kpi.Target, kpi.Comparison == Above ? value > kpi.Target : value >= kpi.Target);
    }).ToList();
}
