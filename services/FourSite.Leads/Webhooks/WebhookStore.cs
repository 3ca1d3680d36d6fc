using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Leads.Webhooks;

/// <summary>Owners' webhooks and their deliveries in PostgreSQL. Every call is scoped by the site, so an id of another site finds nothing.</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, WebhookEvents events, IOptions<WebhookOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The new webhook; null when the site already has as many as allowed.</returns>
    public async Task<Webhook?> CreateAsync(Guid siteId, Uri url, IReadOnlyList<string> subscribed, string secret, Guid? accountId, string? tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The count and the insert in one statement, under the site's row lock, so two at once cannot pass the limit together.
        return await connection.QuerySingleOrDefaultAsync<Webhook>(new CommandDefinition($"""
            WITH site AS (SELECT site_id FROM lead_sites WHERE site_id = @siteId FOR UPDATE)
            INSERT INTO webhooks (id, site_id, url, events, secret, created_by_account_id, created_by_token_hash)
            SELECT @id, @siteId, @url, @subscribed, @secret, @accountId, @tokenHash FROM site
            WHERE (SELECT count(*) FROM webhooks WHERE site_id = @siteId) < @max
            RETURNING {Webhook.Columns}
            """, new { id = Guid.CreateVersion7(), siteId, url = url.ToString(), subscribed = subscribed.ToArray(), secret, accountId, tokenHash, max = options.Value.MaxPerSite },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Webhook>(new CommandDefinition(
            $"SELECT {Webhook.Columns} FROM webhooks WHERE site_id = @siteId ORDER BY created_at", new { siteId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<Webhook?> FindAsync(Guid siteId, Guid webhookId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Webhook>(new CommandDefinition(
            $"SELECT {Webhook.Columns} FROM webhooks WHERE site_id = @siteId AND id = @webhookId", new { siteId, webhookId }, cancellationToken: cancellationToken));
    }

    /// <summary>Removes a webhook and its deliveries (none is attempted again).</summary>
    public async Task<bool> DeleteAsync(Guid siteId, Guid webhookId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhooks WHERE site_id = @siteId AND id = @webhookId", new { siteId, webhookId }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>A new signing secret; the old one keeps signing beside it for <see cref="WebhookOptions.PreviousSecretLifetime"/>.</summary>
    public async Task<bool> RotateSecretAsync(Guid siteId, Guid webhookId, string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhooks SET previous_secret = secret, previous_secret_expires_at = now() + @lifetime, secret = @secret
            WHERE site_id = @siteId AND id = @webhookId
            """, new { siteId, webhookId, secret, lifetime = options.Value.PreviousSecretLifetime }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Turns a disabled webhook back on with a clean record (its owner fixed the endpoint); waiting deliveries resume.</summary>
    public async Task<bool> EnableAsync(Guid siteId, Guid webhookId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var enabled = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhooks SET enabled = true, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL
            WHERE site_id = @siteId AND id = @webhookId
            """, new { siteId, webhookId }, cancellationToken: cancellationToken)) > 0;
        events.Flush();
        return enabled;
    }

    /// <returns>The test delivery's id; null when the webhook is not found or disabled.</returns>
    public async Task<Guid?> SendTestAsync(Guid siteId, Guid webhookId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var key = $"{WebhookEventTypes.Test}:{Guid.CreateVersion7()}";
        var data = new { webhookId, siteId, message = "This is a test event from FourSite." };
        if (await WebhookEvents.RecordAsync(connection, null, siteId, WebhookEventTypes.Test, key, now, data, cancellationToken, onlyWebhook: webhookId) == 0)
        {
            return null;
        }

        events.Flush();
        return await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
            "SELECT id FROM webhook_deliveries WHERE webhook_id = @webhookId AND event_key = @key", new { webhookId, key }, cancellationToken: cancellationToken));
    }

    /// <summary>A webhook's latest deliveries, newest first, each with its attempts.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(Guid siteId, Guid webhookId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid Id, string EventType, string Status, int Attempts, DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt, string AttemptLog)>(
            new CommandDefinition("""
            SELECT d.id, d.event_type, d.status, d.attempts,
                   CASE WHEN d.status = 'pending' AND w.enabled THEN d.next_attempt_at END,
                   d.created_at, d.delivered_at,
                   coalesce((SELECT json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'latencyMs', a.latency_ms, 'error', a.error) ORDER BY a.id)
                             FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]')::text
            FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE w.site_id = @siteId AND d.webhook_id = @webhookId
            ORDER BY d.created_at DESC, d.id
            LIMIT @limit
            """, new { siteId, webhookId, limit }, cancellationToken: cancellationToken));
        return rows.Select(row => new WebhookDelivery(row.Id, row.EventType, row.Status, row.Attempts, Utc(row.NextAttemptAt), Utc(row.CreatedAt), Utc(row.DeliveredAt),
            JsonSerializer.Deserialize<List<WebhookAttempt>>(row.AttemptLog, Json)!)).ToList();
    }

    /// <summary>Sends a delivery again now, with a fresh retry schedule and the same <c>webhook-id</c> (a receiver that already has it can tell).</summary>
    public async Task<bool> RedeliverAsync(Guid siteId, Guid webhookId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var queued = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), leased_until = NULL, delivered_at = NULL
            FROM webhooks w
            WHERE d.id = @deliveryId AND d.webhook_id = @webhookId AND w.id = d.webhook_id AND w.site_id = @siteId
            """, new { siteId, webhookId, deliveryId }, cancellationToken: cancellationToken)) > 0;
        events.Flush();
        return queued;
    }
}
