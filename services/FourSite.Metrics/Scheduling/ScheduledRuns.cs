using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Scheduling;

/// <summary>
/// Runs a scheduled task on one replica per interval: a transaction-scoped advisory lock lets one replica in at a
/// time, and the task's last run time tells it whether the interval has passed since another replica ran it.
/// </summary>
public sealed class ScheduledRuns(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Runs <paramref name="work"/> if it is due; returns whether it ran here.</summary>
    public async Task<bool> RunIfDueAsync(string task, TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(hashtext('foursite.metrics.' || @task))", new { task }, transaction, cancellationToken: cancellationToken));
        if (!locked)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var last = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT last_run_at FROM scheduled_runs WHERE task = @task", new { task }, transaction, cancellationToken: cancellationToken));
        // A little slack, so a replica whose timer fires a moment early does not skip a whole interval.
        if (last is { } previous && now - Utc(previous) < interval * 0.9)
        {
            return false;
        }

        await work(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO scheduled_runs (task, last_run_at) VALUES (@task, @now)
            ON CONFLICT (task) DO UPDATE SET last_run_at = EXCLUDED.last_run_at
            """, new { task, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
