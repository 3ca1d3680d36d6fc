using System.Diagnostics;
using System.Text.Json;
using FourSite.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>
/// Delivers committed outbox messages to RabbitMQ, oldest first. Replicas share the work through row locks
/// (<c>FOR UPDATE SKIP LOCKED</c>); a broker outage only delays delivery, and each message keeps its id so consumers
/// can recognise a repeat.
/// </summary>
public sealed partial class OutboxRelay(NpgsqlDataSource dataSource, IBus bus, OutboxSignal signal, ILogger<OutboxRelay> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FourSite.Outbox");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After relaying, how long the relay lets messages gather before its next batch: under a stream of them (a site shared
    /// hundreds of times a second) each batch then carries several for its one read and one mark, while a message after a
    /// quiet spell still leaves at once.
    /// </summary>
    private static readonly TimeSpan GatherInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private const int BatchSize = 100;
    private const int MaxUnreadableAttempts = 5;
    private static readonly TimeSpan KeepSent = TimeSpan.FromDays(7);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromHours(1);
    private DateTime _nextCleanup = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var idle = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int relayed;
                var any = false;
                do
                {
                    relayed = await RelayBatchAsync(stoppingToken);
                    any |= relayed > 0;
                }
                while (relayed == BatchSize);

                await RemoveOldSentAsync(stoppingToken);

                backoff = TimeSpan.Zero;
                idle = any ? PollInterval : Backoff.Next(idle, PollInterval, WorkSignal.IdlePollCeiling);
                await signal.WaitAsync(idle, stoppingToken);
                if (any)
                {
                    await Task.Delay(GatherInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Broker or database away: keep the messages and try again, more slowly each time.
                backoff = Backoff.Next(backoff, PollInterval, MaxBackoff);
                LogRelayFailed(logger, exception, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = await ReadPendingAsync(transaction, cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        var sent = new List<long>(pending.Count);
        try
        {
            foreach (var message in pending)
            {
                if (!TryRead(message, out var type, out var body, out var problem))
                {
                    // A message this version cannot read (e.g. written by a newer one) is set aside, not allowed to block the rest.
                    await MarkUnreadableAsync(transaction, message.Id, problem, CancellationToken.None);
                    continue;
                }

                await DeliverAsync(message, type, body, cancellationToken);
                sent.Add(message.Id);
            }
        }
        finally
        {
            // Whatever went out is marked, even when a later message failed: a repeat is harmless, a loss is not.
            await MarkSentAsync(transaction, sent, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        return pending.Count;
    }

    private static bool TryRead(PendingMessage message, out Type type, out object body, out string problem)
    {
        type = typeof(object);
        body = new object();
        problem = "";
        try
        {
            type = Type.GetType(message.MessageType, throwOnError: true)!;
            body = JsonSerializer.Deserialize(message.Body, type, Json) ?? throw new JsonException("The body is null.");
            return true;
        }
        catch (Exception exception) when (exception is TypeLoadException or FileNotFoundException or FileLoadException or JsonException or NotSupportedException)
        {
            problem = exception.Message;
            return false;
        }
    }

    private async Task DeliverAsync(PendingMessage message, Type type, object body, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity($"outbox relay {message.Destination ?? "publish"}", ActivityKind.Internal, parent);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);

        if (message.Destination is null)
        {
            await bus.Publish(body, type, context => context.MessageId = message.MessageId, timeout.Token);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{message.Destination}"));
            await endpoint.Send(body, type, context => context.MessageId = message.MessageId, timeout.Token);
        }
    }

    private static async Task<List<PendingMessage>> ReadPendingAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, message_id, message_type, destination, body::text, trace_parent
            FROM outbox_messages
            WHERE sent_at IS NULL AND attempts < @maxAttempts
            ORDER BY id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """;
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("batch", BatchSize);
        command.Parameters.AddWithValue("maxAttempts", MaxUnreadableAttempts);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingMessage(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return pending;
    }

    private static async Task MarkSentAsync(NpgsqlTransaction transaction, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY(@ids)", transaction.Connection, transaction);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task MarkUnreadableAsync(NpgsqlTransaction transaction, long id, string problem, CancellationToken cancellationToken)
    {
        LogUnreadable(logger, id, problem);
        await using var command = new NpgsqlCommand("UPDATE outbox_messages SET attempts = attempts + 1, last_error = @problem WHERE id = @id", transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("problem", problem);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Delivered messages are kept a week for inspection, then removed, so the table does not grow for ever.</summary>
    private async Task RemoveOldSentAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < _nextCleanup)
        {
            return;
        }

        _nextCleanup = DateTime.UtcNow + CleanupInterval;
        await using var command = dataSource.CreateCommand("DELETE FROM outbox_messages WHERE sent_at < now() - @keep");
        command.Parameters.AddWithValue("keep", KeepSent);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record PendingMessage(long Id, Guid MessageId, string MessageType, string? Destination, string Body, string? TraceParent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} cannot be read and is set aside: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, long id, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not deliver; retrying in {DelaySeconds:F0} s")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, double delaySeconds);
}
