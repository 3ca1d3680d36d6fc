using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

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
                if (!await TryWriteAsync(batch, cancellationToken))
                {
                    await buffer.ReturnAsync(batch);
                    break;
                }

                stored += batch.Count;
            }
        }
        catch (RedisException exception)
        {
            LogBufferUnavailable(logger, exception.Message);
        }

        return stored;
    }

    private async Task<bool> TryWriteAsync(IReadOnlyList<AcceptedBeacon> batch, CancellationToken cancellationToken)
    {
        try
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
            return true;
        }
        catch (NpgsqlException exception)
        {
            LogWriteFailed(logger, batch.Count, exception.Message);
            return false;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} RUM beacons not written yet, back in the buffer: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);
}
