using System.Globalization;
using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;
using FourSite.Metrics.Vitals;

namespace FourSite.Metrics.Dashboard;

/// <summary>The business dashboards and the golden signals (operator key required).</summary>
public static class DashboardApi
{
    public static readonly IReadOnlyDictionary<string, int> Periods = new Dictionary<string, int> { ["7d"] = 7, ["30d"] = 30, ["90d"] = 90 };

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var dashboard = app.MapGroup("/api/dashboard").WithTags("Dashboard").RequireOperatorKey();
        dashboard.MapGet("/realtime", Realtime).WithName("GetRealtimeDashboard")
            .WithSummary("Active users (5 min), the generation queue, the 10 latest shares, system health and hourly KPIs.");
        dashboard.MapGet("/daily", Daily).WithName("GetDailyMetrics")
            .WithSummary("A UTC day's business metrics (today's are rolled up on request).");
        dashboard.MapGet("/historical", Historical).WithName("GetHistoricalMetrics")
            .WithSummary("Daily metrics over 7d, 30d or 90d; one series with metric=.");
        dashboard.MapGet("/vitals", RealUsers).WithName("GetRealUserVitals")
            .WithSummary("Real users' p75 LCP, INP, CLS and page load over 1h, 24h (the default) or 7d, against the launch plan's budgets.");
        dashboard.MapGet("/golden-signals", Golden).WithName("GetGoldenSignals")
            .WithSummary("Latency p50/p95/p99 per endpoint, traffic, error rates, saturation, and the thresholds each breaks (last 5 minutes).");
        return app;
    }

    public static async Task<IResult> RealUsers(string? window, RealUserVitals vitals, CancellationToken cancellationToken) =>
        RealUserVitals.Windows.TryGetValue(window ?? "24h", out var length)
            ? TypedResults.Ok(new { window = window ?? "24h", vitals = await vitals.ReadAsync(length, cancellationToken) })
            : Problems.Validation(new Dictionary<string, string[]> { ["window"] = [$"window must be one of: {string.Join(", ", RealUserVitals.Windows.Keys)}."] });

    public static async Task<IResult> Realtime(RealtimeDashboard dashboard, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { success = true, data = await dashboard.ReadAsync(cancellationToken) });

    public static async Task<IResult> Daily(string? date, DailyRollup rollup, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly day;
        if (date is null)
        {
            day = today;
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || day > today)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["date"] = ["date must be a past or present UTC day as yyyy-MM-dd."] });
        }

        // Today is still changing, so it is rolled up now; a past day is read as stored, or rolled up once if missing.
        var stored = day == today ? [] : await rollup.ReadAsync(day, day, cancellationToken);
        return TypedResults.Ok(stored.Count == 1 ? stored[0] : await rollup.RollUpAsync(day, cancellationToken));
    }

    public static async Task<IResult> Historical(string? period, string? metric, DailyRollup rollup, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Periods.TryGetValue(period ?? "7d", out var days)) errors["period"] = [$"period must be one of: {string.Join(", ", Periods.Keys)}."];
        if (metric is not null && !DailyMetrics.Series.ContainsKey(metric)) errors["metric"] = [$"metric must be one of: {string.Join(", ", DailyMetrics.Series.Keys)}."];
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await rollup.ReadAsync(today.AddDays(-(days - 1)), today, cancellationToken);
        object data = metric is null
            ? new { period = period ?? "7d", days = rows }
            : new { period = period ?? "7d", metric, points = rows.Select(row => new { date = row.Date, value = DailyMetrics.Series[metric](row) }) };
        return TypedResults.Ok(new { success = true, data });
    }

    public static async Task<IResult> Golden(GoldenSignals signals, CancellationToken cancellationToken)
    {
        GoldenSignalsReport report;
        try
        {
            report = await signals.ReadAsync(GoldenSignals.DefaultWindow, cancellationToken);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            return SignalsUnavailable();
        }

        return TypedResults.Ok(new { success = true, data = new { report.Window, report.Timestamp, report.Signals, report.Endpoints, report.Violations } });
    }

    /// <summary>The gateway's request counts live in Redis; without it there is nothing honest to show.</summary>
    public static IResult SignalsUnavailable() =>
        Problems.Of(StatusCodes.Status503ServiceUnavailable, "signals_unavailable", "Request signals cannot be read right now (Redis is unavailable).");
}
