using System.Text.Json;
using FourSite.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FourSite.Metrics.Rum;

/// <summary>
/// Moves buffered beacons into <c>rum_beacons</c>, a batch at a time: one binary COPY into a temporary table, then one
/// insert that skips ids already stored, then the batch is acknowledged in the buffer. Anything that fails in between
/// leaves the batch pending, to be written again; a beacon's id makes the second write harmless. Replicas may drain
/// together: the consumer group gives each entry to one of them.
/// </summary>
public sealed partial class RumWriter(RumBuffer buffer, ActiveUsers activeUsers, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<RumWriter> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan ConsumerCleanupInterval = TimeSpan.FromMinutes(10);
    private DateTimeOffset _nextConsumerCleanup = DateTimeOffset.MinValue;

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

    /// <summary>Writes everything buffered now, a batch at a time; returns how many beacons were stored (ids seen before not counted).</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var stored = 0;
        try
        {
            await activeUsers.TrimAsync();
            await ForgetIdleConsumersAsync();
            while (await buffer.ReadAsync(options.Value.RumBatchSize, options.Value.RumClaimAfter) is { Count: > 0 } batch)
            {
                var written = await TryWriteAsync(batch.Where(entry => entry.Beacon is not null).Select(entry => entry.Beacon!).ToList(), cancellationToken);
                if (written < 0)
                {
                    break;
                }

                foreach (var unreadable in batch.Where(entry => entry.Beacon is null))
                {
                    LogUnreadable(logger, unreadable.EntryId.ToString());
                }

                await buffer.AcknowledgeAsync(batch);
                stored += written;
            }
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogBufferUnavailable(logger, exception.Message);
        }

        return stored;
    }

    private async Task ForgetIdleConsumersAsync()
    {
        var now = clock.GetUtcNow();
        if (now < _nextConsumerCleanup)
        {
            return;
        }

        _nextConsumerCleanup = now + ConsumerCleanupInterval;
        await buffer.ForgetIdleConsumersAsync(TimeSpan.FromHours(1));
    }

    /// <summary>
    /// Writes a batch: the number of new rows, or -1 when PostgreSQL is unreachable (the batch stays pending). A batch
    /// refused for its content is written one beacon at a time, and a beacon refused on its own is set aside in the
    /// log, so one bad beacon never blocks the buffer.
    /// </summary>
    private async Task<int> TryWriteAsync(IReadOnlyList<AcceptedBeacon> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        try
        {
            return await CopyAsync(batch, cancellationToken);
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

    private const string CopiedColumns = "id, type, session_id, url, device, lcp_ms, fid_ms, inp_ms, cls, data, occurred_at, visitor, referrer_host, channel, utm_source, utm_campaign";
    private const string StoredColumns = $"{CopiedColumns}, received_at";

    private async Task<int> CopyAsync(IReadOnlyList<AcceptedBeacon> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE rum_incoming (LIKE rum_beacons INCLUDING DEFAULTS) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY rum_incoming ({CopiedColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var beacon in batch)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(beacon.Id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(beacon.Type, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.SessionId, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Url, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Device, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Data.Lcp, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(writer, beacon.Data.Fid, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(writer, beacon.Data.Inp, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(writer, beacon.Data.Cls, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(JsonSerializer.Serialize(beacon.Data, Json), NpgsqlDbType.Jsonb, cancellationToken);
                await writer.WriteAsync(beacon.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(writer, beacon.Visit?.Visitor, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Visit?.ReferrerHost, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Visit?.Channel, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Visit?.UtmSource, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, beacon.Visit?.UtmCampaign, NpgsqlDbType.Text, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        int inserted;
        // Columns named: the table's computed ones (the site a beacon came from) are PostgreSQL's to fill.
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO rum_beacons ({StoredColumns}) SELECT {StoredColumns} FROM rum_incoming ON CONFLICT (id) DO NOTHING
            """, connection, transaction))
        {
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "RUM buffer entry {EntryId} is not a beacon and was set aside")]
    private static partial void LogUnreadable(ILogger logger, string entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} RUM beacons not written yet, they stay pending: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}
