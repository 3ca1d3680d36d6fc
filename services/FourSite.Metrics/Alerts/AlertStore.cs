using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Alerts;

public static class AlertTransitions
{
    public const string Raised = "raised";
    public const string Resolved = "resolved";

    /// <summary>A critical alert still firing, sent again.</summary>
    public const string Repeated = "repeated";

    /// <summary>News for the channels rather than an alert: a release or a rollback.</summary>
    public const string Announced = "announced";
}

/// <summary>An alert as listed by <c>GET /api/alerts</c>.</summary>
public sealed record AlertRecord(Guid Id, string Rule, string Severity, string Message, double? Value, double? Threshold, IReadOnlyList<string> Channels, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt)
{
    public string State => ResolvedAt is null ? "open" : "resolved";
}

/// <summary>
/// The alerts table: at most one open alert per rule (a unique partial index), so a rule that keeps firing raises once
/// and notifies once, until it clears.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Opens an alert for the verdict's rule; false when one is already open.</summary>
    public Task<bool> RaiseAsync(AlertVerdict verdict, CancellationToken cancellationToken) =>
        InsertAsync(verdict.Rule, verdict.Message, verdict.Value, clock.GetUtcNow(), resolvedAt: null, cancellationToken);

    /// <summary>Resolves the rule's open alert; false when none was open.</summary>
    public async Task<bool> ResolveAsync(string rule, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET resolved_at = @now WHERE rule_name = @rule AND resolved_at IS NULL",
            new { rule, now = clock.GetUtcNow() }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Whether the rule's open alert is due to be sent again (last sent <paramref name="interval"/> ago or more); if so it
    /// counts as sent now, so one replica's round sends it.
    /// </summary>
    public async Task<bool> RepeatDueAsync(string rule, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET notified_at = @now WHERE rule_name = @rule AND resolved_at IS NULL AND notified_at <= @due",
            new { rule, now = clock.GetUtcNow(), due = clock.GetUtcNow() - interval }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records an alert that was raised at <paramref name="raisedAt"/> and is over now, for the history.</summary>
    public Task RecordPastAsync(AlertRule rule, string message, DateTimeOffset raisedAt, CancellationToken cancellationToken) =>
        InsertAsync(rule, message, value: null, raisedAt, clock.GetUtcNow(), cancellationToken);

    /// <returns>False when the alert would be open and one of its rule already is.</returns>
    private async Task<bool> InsertAsync(AlertRule rule, string message, double? value, DateTimeOffset raisedAt, DateTimeOffset? resolvedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO alerts (id, rule_name, severity, message, value, threshold, channels, raised_at, resolved_at, notified_at)
            VALUES (@id, @rule, @severity, @message, @value, @threshold, @channels, @raisedAt, @resolvedAt, @raisedAt)
            ON CONFLICT (rule_name) WHERE resolved_at IS NULL DO NOTHING
            """, new
        {
            id = Guid.CreateVersion7(),
            rule = rule.Name,
            severity = rule.Severity,
            message,
            value,
            threshold = rule.Threshold,
            channels = rule.Channels.ToArray(),
            raisedAt,
            resolvedAt,
        }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Open alerts, or the latest alerts of any state, newest first.</summary>
    public async Task<IReadOnlyList<AlertRecord>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
#pragma warning disable S2077 // Dynamic SQL checked: only the constant filter for open alerts is interpolated; values are parameters.
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT id AS Id, rule_name AS Rule, severity AS Severity, message AS Message, value AS Value, threshold AS Threshold,
                channels AS Channels, raised_at AS RaisedAt, resolved_at AS ResolvedAt
            FROM alerts {(openOnly ? "WHERE resolved_at IS NULL" : "")}
            ORDER BY raised_at DESC LIMIT @limit
            """, new { limit }, cancellationToken: cancellationToken));
#pragma warning restore S2077
        return rows.Select(row => new AlertRecord(row.Id, row.Rule, row.Severity, row.Message, row.Value, row.Threshold, row.Channels,
            Utc(row.RaisedAt), row.ResolvedAt is { } resolved ? Utc(resolved) : null)).ToList();
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Rule { get; init; } = "";
        public string Severity { get; init; } = "";
        public string Message { get; init; } = "";
        public double? Value { get; init; }
        public double? Threshold { get; init; }
        public string[] Channels { get; init; } = [];
        public DateTime RaisedAt { get; init; }
        public DateTime? ResolvedAt { get; init; }
    }
}
