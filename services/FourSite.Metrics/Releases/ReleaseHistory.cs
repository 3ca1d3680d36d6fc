using System.Text.Json;
using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Releases;

/// <summary>The <c>releases</c> table: every release, rollback and switch reported, kept for the record.</summary>
public sealed class ReleaseHistory(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(ReleaseRecord release, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO releases (id, kind, outcome, operator, from_slot, to_slot, from_image, to_image, reason, decisions, started_at, finished_at)
            VALUES (@Id, @Kind, @Outcome, @Operator, @FromSlot, @ToSlot, @FromImage, @ToImage, @Reason, @decisions::jsonb, @StartedAt, @FinishedAt)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            release.Id, release.Kind, release.Outcome, release.Operator, release.FromSlot, release.ToSlot, release.FromImage, release.ToImage, release.Reason,
            decisions = JsonSerializer.Serialize(release.Decisions, Json), release.StartedAt, release.FinishedAt,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>The latest <paramref name="limit"/> records, newest first.</summary>
    public async Task<IReadOnlyList<ReleaseRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT id, kind, outcome, operator, from_slot AS FromSlot, to_slot AS ToSlot, from_image AS FromImage, to_image AS ToImage, reason,
                   decisions::text AS Decisions, started_at AS StartedAt, finished_at AS FinishedAt
            FROM releases ORDER BY finished_at DESC LIMIT @limit
            """, new { limit }, cancellationToken: cancellationToken));
        return rows.Select(row => new ReleaseRecord(row.Id, row.Kind, row.Outcome, row.Operator, row.FromSlot, row.ToSlot, row.FromImage, row.ToImage, row.Reason,
            JsonSerializer.Deserialize<List<ReleaseDecision>>(row.Decisions, Json) ?? [], Utc(row.StartedAt), Utc(row.FinishedAt))).ToList();
    }

    private sealed record Row(Guid Id, string Kind, string Outcome, string Operator, string? FromSlot, string? ToSlot, string? FromImage, string? ToImage,
        string Reason, string Decisions, DateTime StartedAt, DateTime FinishedAt);
}
