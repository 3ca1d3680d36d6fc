using Npgsql;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>
/// Records messages in the same transaction as the rows they announce, so a message leaves only if its rows were
/// committed and is never lost once they were. <see cref="OutboxRelay"/> delivers them.
/// </summary>
public sealed class Outbox(OutboxSignal signal)
{
    /// <summary>The outbox table and its columns, for <c>INSERT INTO {InsertTarget} ...</c> in a caller's own statement.</summary>
    public const string InsertTarget = "outbox_messages (message_id, message_type, destination, body, trace_parent)";

    /// <summary>The values of an <see cref="OutboxRow"/> passed as parameters, in the order of <see cref="InsertTarget"/>.</summary>
    public const string Values = "@OutboxMessageId, @OutboxMessageType, @OutboxDestination, @OutboxBody::jsonb, @OutboxTraceParent";

    /// <summary>Records an event to publish to every service that subscribes to it.</summary>
    public Task PublishAsync<T>(T message, NpgsqlTransaction transaction, CancellationToken cancellationToken) where T : class =>
        AddAsync(OutboxRow.For(message), transaction, cancellationToken);

    /// <summary>Records a command to send to one queue.</summary>
    public Task SendAsync<T>(T message, string queue, NpgsqlTransaction transaction, CancellationToken cancellationToken) where T : class =>
        AddAsync(OutboxRow.For(message, queue), transaction, cancellationToken);

    /// <summary>Tells the relay that committed messages are waiting, so it delivers them now rather than at its next poll.</summary>
    public void Flush() => signal.Notify();

    private static async Task AddAsync(OutboxRow row, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {InsertTarget} VALUES ({Values})", transaction.Connection, transaction);
        command.Parameters.AddWithValue(nameof(row.OutboxMessageId), row.OutboxMessageId);
        command.Parameters.AddWithValue(nameof(row.OutboxMessageType), row.OutboxMessageType);
        command.Parameters.AddWithValue(nameof(row.OutboxDestination), (object?)row.OutboxDestination ?? DBNull.Value);
        command.Parameters.AddWithValue(nameof(row.OutboxBody), row.OutboxBody);
        command.Parameters.AddWithValue(nameof(row.OutboxTraceParent), (object?)row.OutboxTraceParent ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
