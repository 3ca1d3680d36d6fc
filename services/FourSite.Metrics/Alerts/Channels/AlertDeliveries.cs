using System.Text.Json;
using Dapper;
using Npgsql;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>A delivery taken to be sent: its row and what it carries.</summary>
public sealed record DueDelivery(Guid Id, string Channel, string Notification, int Attempts, DateTime CreatedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AlertNotification Read() => JsonSerializer.Deserialize<AlertNotification>(Notification, Json)! with { DeliveryId = Id };

    public static string Write(AlertNotification notification) => JsonSerializer.Serialize(notification, Json);
}

/// <summary>
/// The <c>alert_deliveries</c> outbox: one row per notification and channel, taken under a lease (so replicas share the
/// work and a crashed one's rows come back), delivered or retried later.
/// </summary>
public sealed class AlertDeliveries(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public async Task AddAsync(AlertNotification notification, IEnumerable<string> channels, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO alert_deliveries (id, rule_name, channel, notification)
            SELECT gen_random_uuid(), @Rule, channel, @notification::jsonb FROM unnest(@channels) AS channel
            """, new { notification.Rule, notification = DueDelivery.Write(notification), channels = channels.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>Up to <paramref name="limit"/> due deliveries of one channel, leased to the caller, oldest first.</summary>
    public async Task<IReadOnlyList<DueDelivery>> TakeAsync(string channel, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DueDelivery>(new CommandDefinition("""
            UPDATE alert_deliveries SET leased_until = now() + @Lease
            WHERE id IN (SELECT id FROM alert_deliveries
                         WHERE channel = @channel AND status = 'pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                         ORDER BY created_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING id, channel, notification::text AS Notification, attempts, created_at AS CreatedAt
            """, new { channel, limit, Lease }, cancellationToken: cancellationToken))).OrderBy(delivery => delivery.CreatedAt).ToList();
    }

    public async Task DeliveredAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, leased_until = NULL, last_error = NULL WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>A failed attempt: tried again after <paramref name="retryAfter"/>, or given up (<paramref name="giveUp"/>).</summary>
    public async Task FailedAsync(Guid id, string error, TimeSpan retryAfter, bool giveUp, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE alert_deliveries
            SET attempts = attempts + 1, last_error = left(@error, 500), leased_until = NULL,
                next_attempt_at = now() + @retryAfter, status = CASE WHEN @giveUp THEN 'failed' ELSE 'pending' END
            WHERE id = @id
            """, new { id, error, retryAfter, giveUp }, cancellationToken: cancellationToken));
    }

    /// <summary>Delivered and given-up rows older than a month go.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM alert_deliveries WHERE status <> 'pending' AND created_at < now() - interval '30 days'", cancellationToken: cancellationToken));
    }
}
