using Dapper;
using Npgsql;

namespace FourSite.Metrics.Slo;

/// <summary>Judges every objective on the request history: one query for the 30 days and each burn window.</summary>
public sealed class SloCalculator(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Month = "30d";

    public async Task<IReadOnlyList<SloStatus>> JudgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var windows = ServiceLevelObjective.BurnWindows.Append((Name: Month, Length: ServiceLevelObjective.Window)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, long Requests, long ServerErrors, long Throttled, long Timed, long Within500Ms, long Within2S, long Within5S)>(
            new CommandDefinition("""
                SELECT w.name, coalesce(sum(m.requests), 0)::bigint, coalesce(sum(m.server_errors), 0)::bigint, coalesce(sum(m.throttled), 0)::bigint,
                       coalesce(sum(m.timed), 0)::bigint, coalesce(sum(m.within_500ms), 0)::bigint, coalesce(sum(m.within_2s), 0)::bigint, coalesce(sum(m.within_5s), 0)::bigint
                FROM unnest(@names, @sinces) AS w (name, since)
                LEFT JOIN request_minutes m ON m.minute >= w.since
                GROUP BY w.name
                """, new { names = windows.Select(window => window.Name).ToArray(), sinces = windows.Select(window => now - window.Length).ToArray() },
                cancellationToken: cancellationToken));
        var counts = rows.ToDictionary(row => row.Name,
            row => new RequestMinute(row.Requests, row.ServerErrors, row.Throttled, row.Timed, row.Within500Ms, row.Within2S, row.Within5S));
        return ServiceLevelObjective.All.Select(objective => objective.Judge(counts[Month], counts)).ToList();
    }
}
