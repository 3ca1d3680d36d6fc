using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Alerts;

/// <summary>A silence as listed: which rule, why, who set it and when, until when, and who cancelled it.</summary>
public sealed record AlertSilence(Guid Id, string Rule, string Reason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset EndsAt,
    DateTimeOffset? CancelledAt, string? CancelledBy)
{
    public bool Active(DateTimeOffset now) => CancelledAt is null && EndsAt > now;
}

/// <summary>
/// Operators' silences of rules during planned work: the rule is still evaluated and its alerts shown, but nothing is
/// sent while a silence is in force. At most a day each; kept, with who set and cancelled them, for the record.
/// </summary>
public sealed class AlertSilences(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public async Task<AlertSilence> AddAsync(string rule, TimeSpan duration, string reason, string createdBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var silence = new AlertSilence(Guid.CreateVersion7(), rule, reason, createdBy, now, now + duration, null, null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO alert_silences (id, rule_name, reason, created_by, created_at, ends_at) VALUES (@Id, @Rule, @Reason, @CreatedBy, @CreatedAt, @EndsAt)
            """, silence, cancellationToken: cancellationToken));
        return silence;
    }

    /// <summary>Ends a silence now; false when there is no such silence or it was already over.</summary>
    public async Task<bool> CancelAsync(Guid id, string cancelledBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE alert_silences SET cancelled_at = @now, cancelled_by = @cancelledBy WHERE id = @id AND cancelled_at IS NULL AND ends_at > @now
            """, new { id, cancelledBy, now = clock.GetUtcNow() }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Whether a silence of <paramref name="rule"/> is in force.</summary>
    public async Task<bool> IsSilencedAsync(string rule, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM alert_silences WHERE rule_name = @rule AND cancelled_at IS NULL AND ends_at > @now)",
            new { rule, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Silences in force and those of the last week, newest first.</summary>
    public async Task<IReadOnlyList<AlertSilence>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid Id, string Rule, string Reason, string CreatedBy, DateTime CreatedAt, DateTime EndsAt, DateTime? CancelledAt, string? CancelledBy)>(
            new CommandDefinition("""
                SELECT id, rule_name, reason, created_by, created_at, ends_at, cancelled_at, cancelled_by FROM alert_silences
                WHERE ends_at > @since ORDER BY created_at DESC LIMIT 200
                """, new { since = clock.GetUtcNow() - TimeSpan.FromDays(7) }, cancellationToken: cancellationToken));
        return rows.Select(row => new AlertSilence(row.Id, row.Rule, row.Reason, row.CreatedBy, Utc(row.CreatedAt), Utc(row.EndsAt),
            row.CancelledAt is { } cancelled ? Utc(cancelled) : null, row.CancelledBy)).ToList();
    }
}
