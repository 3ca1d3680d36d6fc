using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.Signals;

/// <summary>
/// How full the platform is: CPU load per core, memory in use, database connections in use, queued generations, and the
/// fullest disk among the data directories.
/// </summary>
public sealed record Saturation(double? CpuLoad, double? MemoryUsed, double? DatabaseConnectionsUsed, long? QueueDepth, double? DiskUsed = null);

/// <summary>Reads saturation from the machine, PostgreSQL and RabbitMQ.</summary>
public sealed class SaturationReader(NpgsqlDataSource dataSource, GenerationQueueDepth queue, IOptions<MetricsOptions> options)
{
    public async Task<Saturation> ReadAsync(CancellationToken cancellationToken) =>
        new(CpuLoad(), MemoryUsed(), await DatabaseConnectionsUsedAsync(cancellationToken), await queue.ReadAsync(cancellationToken), DiskUsed(options.Value.DataDirectories));

    /// <summary>The share of space used on the fullest of the disks holding <paramref name="paths"/>; null when none can be read.</summary>
    public static double? DiskUsed(IEnumerable<string> paths)
    {
        double? fullest = null;
        foreach (var path in paths)
        {
            try
            {
                var drive = new DriveInfo(Path.GetFullPath(path));
                if (drive.TotalSize > 0)
                {
                    var used = Math.Round(1 - (double)drive.AvailableFreeSpace / drive.TotalSize, 3);
                    fullest = Math.Max(fullest ?? 0, used);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A path that is not mounted here says nothing about the others.
            }
        }

        return fullest;
    }

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
