using Dapper;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>A day of growth: verified K beside raw K, and the funnel per platform.</summary>
public sealed record DailyGrowth(
    DateOnly Date,
    Coefficient Verified,
    Coefficient Raw,
    int Shares,
    int Sharers,
    int Conversions,
    int VerifiedConversions,
    IReadOnlyList<PlatformFunnel> Funnel);

/// <summary>Reads a UTC day's shares, visits and conversions back from the stored events.</summary>
public sealed class CoefficientStore(NpgsqlDataSource dataSource)
{
    public async Task<DailyGrowth> ForDayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var from = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var day = new { from, to = from.AddDays(1) };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var shares = (await connection.QueryAsync<(string Platform, int Count)>(new CommandDefinition(
            "SELECT platform, count(*)::int FROM shares WHERE created_at >= @from AND created_at < @to GROUP BY platform", day, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Platform, row => row.Count);
        // A person sharing is known by their session, else their address; a share with neither counts as its own sharer.
        var sharers = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(DISTINCT coalesce(session_id, host(client_ip), id::text))::int FROM shares WHERE created_at >= @from AND created_at < @to",
            day, cancellationToken: cancellationToken));
        var visits = (await connection.QueryAsync<(string Platform, int Count)>(new CommandDefinition("""
            SELECT coalesce(platform, 'referral'), count(*)::int FROM share_visits
            WHERE verified AND created_at >= @from AND created_at < @to GROUP BY 1
            """, day, cancellationToken: cancellationToken))).ToDictionary(row => row.Platform, row => row.Count);
        var conversions = (await connection.QueryAsync<(string Platform, bool Verified, int Count)>(new CommandDefinition("""
            SELECT coalesce(platform, 'referral'), verified, count(*)::int FROM conversions
            WHERE created_at >= @from AND created_at < @to GROUP BY 1, 2
            """, day, cancellationToken: cancellationToken))).ToList();

        var totalShares = shares.Values.Sum();
        var allConversions = conversions.Sum(row => row.Count);
        var verifiedConversions = conversions.Where(row => row.Verified).Sum(row => row.Count);
        var funnel = shares.Keys.Union(visits.Keys).Union(conversions.Select(row => row.Platform)).Order(StringComparer.Ordinal)
            .Select(platform => ViralCoefficient.Funnel(platform, shares.GetValueOrDefault(platform), visits.GetValueOrDefault(platform),
                conversions.Where(row => row.Platform == platform && row.Verified).Sum(row => row.Count)))
            .ToList();
        return new DailyGrowth(date, ViralCoefficient.Of(totalShares, sharers, verifiedConversions), ViralCoefficient.Of(totalShares, sharers, allConversions),
            totalShares, sharers, allConversions, verifiedConversions, funnel);
    }
}
