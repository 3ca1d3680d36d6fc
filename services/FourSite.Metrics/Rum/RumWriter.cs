using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;
using FourSite.ServiceDefaults;

namespace FourSite.Metrics.Rum;

/// <summary>
/// Moves buffered beacons into <c>rum_beacons</c> with one binary COPY per batch. A batch that cannot be written goes
/// back to the buffer and is tried again; replicas may drain together, as each pop is atomic.
/// </summary>
public sealed partial class RumWriter(RumBuffer buffer, ActiveUsers activeUsers, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, ILogger<RumWriter> logger)
    : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RumFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await DrainAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes everything buffered now, a batch at a time; returns how many beacons were stored.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var stored = 0;
        try
        {
            await activeUsers.TrimAsync();
            while (await buffer.TakeAsync(options.Value.RumBatchSize) is { Count: > 0 } batch)
            {
                var written = await TryWriteAsync(batch, cancellationToken);
                if (written < 0)
                {
                    await buffer.ReturnAsync(batch);
                    break;
                }

                stored += written;
            }
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogBufferUnavailable(logger, exception.Message);
        }

        return stored;
    }

    /// <summary>
    /// Writes a batch: the number stored, or -1 when PostgreSQL is unreachable (the batch goes back to the buffer). A
    /// batch refused for its content is written one beacon at a time, and a beacon refused on its own is set aside in
    /// the log, so one bad beacon never blocks the buffer.
    /// </summary>
    private async Task<int> TryWriteAsync(IReadOnlyList<AcceptedBeacon> batch, CancellationToken cancellationToken)
    {
        try
        {
            await CopyAsync(batch, cancellationToken);
            return batch.Count;
        }
        catch (PostgresException exception) when (!exception.IsTransient && batch.Count > 1)
        {
            var written = 0;
            foreach (var beacon in batch)
            {
                var one = await TryWriteAsync([beacon], cancellationToken);
                if (one < 0)
                {
                    return -1;
                }

                written += one;
            }

            return written;
        }
        catch (PostgresException exception) when (!exception.IsTransient)
        {
            LogSetAside(logger, batch[0].Id, exception.MessageText);
            return 0;
        }
        catch (NpgsqlException exception)
        {
            LogWriteFailed(logger, batch.Count, exception.Message);
            return -1;
        }
    }

    private async Task CopyAsync(IReadOnlyList<AcceptedBeacon> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY rum_beacons (id, type, session_id, url, user_agent, lcp_ms, fid_ms, inp_ms, cls, data, occurred_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var beacon in batch)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(beacon.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(beacon.Type, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, beacon.SessionId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, beacon.Url, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, beacon.UserAgent, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, beacon.Data.Lcp, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, beacon.Data.Fid, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, beacon.Data.Inp, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, beacon.Data.Cls, NpgsqlDbType.Double, cancellationToken);
            await writer.WriteAsync(JsonSerializer.Serialize(beacon.Data, Json), NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(beacon.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(value, type, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RUM buffer unreachable; beacons wait: {Reason}")]
    private static partial void LogBufferUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "RUM beacon {BeaconId} refused by PostgreSQL and set aside: {Reason}")]
    private static partial void LogSetAside(ILogger logger, Guid beaconId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} RUM beacons not written yet, back in the buffer: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}
