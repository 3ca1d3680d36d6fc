namespace FourSite.Metrics.Slo;

/// <summary>
/// An objective over 30 days, as Google's SRE workbook states them: the share of eligible events that must be good. Its
/// error budget is the rest (0.1 % for 99.9 %); a burn rate is how many times faster than "exactly spent in 30 days"
/// a window spends it.
/// </summary>
public sealed record ServiceLevelObjective(string Name, string Description, double Objective, Func<RequestMinute, (long Good, long Eligible)> Measure)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>The launch plan's SLA and latency targets (§3.4.1).</summary>
    public static readonly IReadOnlyList<ServiceLevelObjective> All =
    [
        new("availability", "Gateway requests answered without a server error (rate-limited ones left out)", 0.999,
            counts => (counts.Requests - counts.Throttled - counts.ServerErrors, counts.Requests - counts.Throttled)),
        new("latency_p50", "Half of the requests answered within 500 ms", 0.50, counts => (counts.Within500Ms, counts.Timed)),
        new("latency_p95", "95 % of the requests answered within 2 s", 0.95, counts => (counts.Within2S, counts.Timed)),
        new("latency_p99", "99 % of the requests answered within 5 s", 0.99, counts => (counts.Within5S, counts.Timed)),
    ];

    /// <summary>The windows burn rates are read over: the multiwindow, multi-burn-rate alerts' pairs.</summary>
    public static readonly IReadOnlyList<(string Name, TimeSpan Length)> BurnWindows =
        [("5m", TimeSpan.FromMinutes(5)), ("30m", TimeSpan.FromMinutes(30)), ("1h", TimeSpan.FromHours(1)), ("6h", TimeSpan.FromHours(6)), ("3d", TimeSpan.FromDays(3))];

    public double Budget => 1 - Objective;

    /// <summary>How fast the counts spend the budget; null without an eligible event.</summary>
    public double? BurnRate(RequestMinute counts)
    {
        var (good, eligible) = Measure(counts);
        return eligible <= 0 ? null : (1 - (double)good / eligible) / Budget;
    }

    /// <summary>This objective judged on the 30-day counts and each burn window's.</summary>
    public SloStatus Judge(RequestMinute month, IReadOnlyDictionary<string, RequestMinute> windows)
    {
        var (good, eligible) = Measure(month);
        var attainment = eligible <= 0 ? (double?)null : (double)good / eligible;
        return new SloStatus(Name, Description, Objective, Window, attainment, attainment is { } met ? 1 - (1 - met) / Budget : 1, eligible,
            BurnWindows.ToDictionary(window => window.Name, window => BurnRate(windows[window.Name])),
            BurnWindows.ToDictionary(window => window.Name, window => Measure(windows[window.Name]).Eligible));
    }
}

/// <summary>
/// An objective as <c>GET /api/slo</c> shows it: the share of good events over the window, the share of the error budget
/// left (below 0 once overspent), and the burn rate of each window.
/// </summary>
public sealed record SloStatus(string Name, string Description, double Objective, TimeSpan Window, double? Attainment, double BudgetRemaining, long Events,
    IReadOnlyDictionary<string, double?> BurnRates, IReadOnlyDictionary<string, long> WindowEvents)
{
    /// <summary>
    /// The burn rate over both windows of a multiwindow alert (the smaller of the two: both must burn), and the events
    /// behind it (the fewer); null while either window has no events.
    /// </summary>
    public (double? Rate, long Events) BurnOver(string longWindow, string shortWindow) =>
        BurnRates[longWindow] is { } slow && BurnRates[shortWindow] is { } fast
            ? (Math.Min(slow, fast), Math.Min(WindowEvents[longWindow], WindowEvents[shortWindow]))
            : (null, 0);
}
