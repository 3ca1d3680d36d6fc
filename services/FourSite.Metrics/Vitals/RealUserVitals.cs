using Dapper;
using Npgsql;

namespace FourSite.Metrics.Vitals;

/// <summary>One measure as real users lived it: its 75th percentile over the window against the launch plan's budget.</summary>
public sealed record VitalReading(string Name, string Label, string Unit, double Budget, double? P75, long Samples)
{
    /// <summary>Within budget; null without a sample.</summary>
    public bool? Met => P75 is { } p75 ? p75 <= Budget : null;
}

/// <summary>
/// Core Web Vitals and page-load times of every page real visitors opened (landing, generated sites, dashboards), at
/// the 75th percentile as Google judges them, against the plan's budgets: LCP 2.5 s, INP 200 ms, CLS 0.1, load 3 s.
/// </summary>
public sealed class RealUserVitals(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Lcp = "lcp";

    public static readonly IReadOnlyDictionary<string, TimeSpan> Windows = new Dictionary<string, TimeSpan>
    {
        ["1h"] = TimeSpan.FromHours(1), ["24h"] = TimeSpan.FromDays(1), ["7d"] = TimeSpan.FromDays(7),
    };

    public async Task<IReadOnlyList<VitalReading>> ReadAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(double? Lcp, long LcpN, double? Inp, long InpN, double? Cls, long ClsN, double? Load, long LoadN)>(new CommandDefinition("""
            SELECT percentile_cont(0.75) WITHIN GROUP (ORDER BY lcp_ms), count(lcp_ms),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY inp_ms), count(inp_ms),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY cls), count(cls),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY (data->>'load')::double precision), count(data->>'load')
            FROM rum_beacons WHERE type = 'core_web_vitals' AND occurred_at >= @since
            """, new { since = clock.GetUtcNow() - window }, cancellationToken: cancellationToken));
        return
        [
            new(Lcp, "Largest contentful paint", "ms", 2_500, row.Lcp, row.LcpN),
            new("inp", "Interaction to next paint", "ms", 200, row.Inp, row.InpN),
            new("cls", "Cumulative layout shift", "", 0.1, row.Cls, row.ClsN),
            new("load", "Page load", "ms", 3_000, row.Load, row.LoadN),
        ];
    }
}
