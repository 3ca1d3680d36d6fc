using Dapper;
using Npgsql;

namespace FourSite.Metrics.Signals;

/// <summary>How full the platform is: CPU load per core, memory in use, database connections in use, queued generations.</summary>
public sealed record Saturation(double? CpuLoad, double? MemoryUsed, double? DatabaseConnectionsUsed, long? QueueDepth);

/// <summary>Reads saturation from the machine, PostgreSQL and RabbitMQ.</summary>
public sealed class SaturationReader(NpgsqlDataSource dataSource, GenerationQueueDepth queue)
{
    public async Task<Saturation> ReadAsync(CancellationToken cancellationToken) =>
        new(CpuLoad(), MemoryUsed(), await DatabaseConnectionsUsedAsync(cancellationToken), await queue.ReadAsync(cancellationToken));

    /// <summary>The one-minute load average per core (Linux); 1 means every core is busy.</summary>
    private static double? CpuLoad()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var load) ? Math.Round(load / Environment.ProcessorCount, 3) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The machine's memory in use, as the runtime sees it.</summary>
    private static double? MemoryUsed()
    {
        var memory = GC.GetGCMemoryInfo();
        return memory.TotalAvailableMemoryBytes == 0 ? null : Math.Round((double)memory.MemoryLoadBytes / memory.TotalAvailableMemoryBytes, 3);
    }

    private async Task<double?> DatabaseConnectionsUsedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (used, max) = await connection.QuerySingleAsync<(int Used, int Max)>(new CommandDefinition(
                "SELECT count(*)::int, current_setting('max_connections')::int FROM pg_stat_activity", cancellationToken: cancellationToken));
            return max == 0 ? null : Math.Round((double)used / max, 3);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
