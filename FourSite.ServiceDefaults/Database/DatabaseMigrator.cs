using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FourSite.ServiceDefaults.Database;

/// <summary>
/// Creates the service's database when missing and applies its numbered SQL migrations before the service serves.
/// Replicas starting together queue on a PostgreSQL advisory lock, so each script runs exactly once.
/// </summary>
public sealed partial class DatabaseMigrator(MigrationSource source, IConfiguration configuration, ILogger<DatabaseMigrator> logger) : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int MaxAttempts = 60;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString(source.ConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{source.ConnectionName}' is not configured.");

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(connectionString, cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // The server may still be starting or restarting: wait for it rather than crash the replica.
                LogServerNotReady(logger, attempt, exception.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var lockConnection = new NpgsqlConnection(maintenance.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@name))", lockConnection))
        {
            acquire.Parameters.AddWithValue("name", "foursite-migrations:" + target.Database);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        // The lock is a session lock: it is released when this connection closes, even if the upgrade throws.
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLog(logger));

        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssemblies([source.Assembly, typeof(DatabaseMigrator).Assembly], name => name.Contains(".Data.Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();

        DatabaseUpgradeResult result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} of database '{target.Database}' failed.", result.Error);
        }

        LogMigrated(logger, target.Database ?? "", result.Scripts.Count());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database server not ready (attempt {Attempt}): {Reason}")]
    private static partial void LogServerNotReady(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is up to date ({Applied} new migrations applied)")]
    private static partial void LogMigrated(ILogger logger, string database, int applied);
}
