using Dapper;
using Npgsql;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>Reads a site's analytics for a period from its daily rollups only, in one round trip: a year of a busy site is a few thousand rows.</summary>
public sealed class SiteAnalyticsReader(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>How many sources of each kind, and devices, the report lists.</summary>
    public const int TopCount = 10;

    private sealed record TrafficRow(DateOnly Day, int Views, int Visitors, int Captures, int Confirmed);

    private sealed record BreakdownRow(string Kind, string Value, int Visitors, int Views);

    private sealed record ShareRow(DateOnly Day, string Channel, int Shares);

    private sealed record VitalsRow(double? LcpP75, int LcpSamples, double? InpP75, int InpSamples, double? ClsP75, int ClsSamples);

    public async Task<SiteAnalyticsReport> ReadAsync(Guid siteId, string period, CancellationToken cancellationToken)
    {
        var (from, to) = AnalyticsPeriods.Of(period, clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT day, views, visitors, captures, confirmed FROM site_traffic_daily WHERE site_id = @siteId AND day BETWEEN @from AND @to;
            SELECT kind, value, sum(visitors)::int AS visitors, sum(views)::int AS views FROM site_breakdowns_daily
            WHERE site_id = @siteId AND day BETWEEN @from AND @to GROUP BY kind, value ORDER BY kind, visitors DESC, views DESC, value;
            SELECT day, channel, shares FROM site_shares_daily WHERE site_id = @siteId AND day BETWEEN @from AND @to;
            SELECT lcp_p75 AS LcpP75, lcp_samples AS LcpSamples, inp_p75 AS InpP75, inp_samples AS InpSamples, cls_p75 AS ClsP75, cls_samples AS ClsSamples
            FROM site_vitals_daily WHERE site_id = @siteId AND day BETWEEN @from AND @to;
            """, new { siteId, from, to }, cancellationToken: cancellationToken));
        var traffic = (await results.ReadAsync<TrafficRow>()).ToDictionary(row => row.Day);
        var breakdowns = (await results.ReadAsync<BreakdownRow>()).ToList();
        var shares = (await results.ReadAsync<ShareRow>()).ToList();
        var vitals = (await results.ReadAsync<VitalsRow>()).ToList();

        var sharesByDay = shares.GroupBy(row => row.Day).ToDictionary(day => day.Key, day => day.Sum(row => row.Shares));
        var days = new List<AnalyticsDay>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var row = traffic.GetValueOrDefault(day);
            days.Add(new AnalyticsDay(day, row?.Visitors ?? 0, row?.Views ?? 0, row?.Captures ?? 0, row?.Confirmed ?? 0, sharesByDay.GetValueOrDefault(day)));
        }

        var totals = new AnalyticsTotals(days.Sum(day => day.Visitors), days.Sum(day => day.PageViews), days.Sum(day => day.Captures), days.Sum(day => day.Confirmed),
            days.Sum(day => day.Shares));
        var channelVisits = Top(breakdowns, "channel", int.MaxValue).ToDictionary(count => count.Name, count => count.Visitors);
        var channelShares = shares.GroupBy(row => row.Channel).ToDictionary(channel => channel.Key, channel => channel.Sum(row => row.Shares));
        return new SiteAnalyticsReport(
            siteId,
            period,
            from,
            to,
            totals,
            days,
            new AnalyticsSources(Top(breakdowns, "referrer", TopCount), Top(breakdowns, "channel", TopCount), Top(breakdowns, "utm_source", TopCount),
                Top(breakdowns, "utm_campaign", TopCount)),
            Top(breakdowns, "device", TopCount),
            new AnalyticsFunnel(totals.Visitors, totals.Captures, totals.Confirmed, Rate(totals.Captures, totals.Visitors), Rate(totals.Confirmed, totals.Captures)),
            channelShares.Keys.Union(channelVisits.Keys)
                .Select(channel => new ChannelShares(channel, channelShares.GetValueOrDefault(channel), channelVisits.GetValueOrDefault(channel)))
                .OrderByDescending(channel => channel.Shares).ThenByDescending(channel => channel.Visits).ThenBy(channel => channel.Channel, StringComparer.Ordinal)
                .ToList(),
            new AnalyticsVitals(
                WeightedP75(vitals.Select(row => (row.LcpP75, row.LcpSamples))), vitals.Sum(row => row.LcpSamples),
                WeightedP75(vitals.Select(row => (row.InpP75, row.InpSamples))), vitals.Sum(row => row.InpSamples),
                WeightedP75(vitals.Select(row => (row.ClsP75, row.ClsSamples))), vitals.Sum(row => row.ClsSamples)));
    }

    private static List<AnalyticsCount> Top(IEnumerable<BreakdownRow> rows, string kind, int count) =>
        rows.Where(row => row.Kind == kind).Take(count).Select(row => new AnalyticsCount(row.Value, row.Visitors, row.Views)).ToList();

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>The value at which the days' samples, taken in order of their day's p75, reach three quarters.</summary>
    public static double? WeightedP75(IEnumerable<(double? P75, int Samples)> days)
    {
        var measured = days.Where(day => day.P75 is not null && day.Samples > 0).OrderBy(day => day.P75).ToList();
        var total = measured.Sum(day => day.Samples);
        if (total == 0)
        {
            return null;
        }

        var seen = 0;
        foreach (var (p75, samples) in measured)
        {
            seen += samples;
            if (seen >= total * 0.75)
            {
                return Math.Round(p75!.Value, 4);
            }
        }

        return Math.Round(measured[^1].P75!.Value, 4);
    }
}
