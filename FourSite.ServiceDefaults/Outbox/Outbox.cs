using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>
/// Records messages in the same transaction as the rows they announce, so a message leaves only if its rows were
/// committed and is never lost once they were. <see cref="OutboxRelay"/> delivers them.
/// </summary>
public sealed class Outbox(OutboxSignal signal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records an event to publish to every service that subscribes to it.</summary>
    public Task PublishAsync<T>(T message, NpgsqlTransaction transaction, CancellationToken cancellationToken) where T : class =>
        AddAsync(message, destination: null, transaction, cancellationToken);

    /// <summary>Records a command to send to one queue.</summary>
    public Task SendAsync<T>(T message, string queue, NpgsqlTransaction transaction, CancellationToken cancellationToken) where T : class =>
        AddAsync(message, queue, transaction, cancellationToken);

    /// <summary>Tells the relay that committed messages are waiting, so it delivers them now rather than at its next poll.</summary>
    public void Flush() => signal.Notify();

    private static async Task AddAsync<T>(T message, string? destination, NpgsqlTransaction transaction, CancellationToken cancellationToken) where T : class
    {
        const string sql = """
            INSERT INTO outbox_messages (message_id, message_type, destination, body, trace_parent)
            VALUES (@messageId, @messageType, @destination, @body::jsonb, @traceParent)
            """;
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("messageId", Guid.CreateVersion7());
        command.Parameters.AddWithValue("messageType", $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}");
        command.Parameters.AddWithValue("destination", (object?)destination ?? DBNull.Value);
        command.Parameters.AddWithValue("body", JsonSerializer.Serialize(message, Json));
        // The relay continues this trace, so the broker hop shows under the request that caused it.
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
