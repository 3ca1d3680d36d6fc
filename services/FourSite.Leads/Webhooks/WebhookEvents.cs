using System.Diagnostics;
using Dapper;
using Npgsql;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// Records an event for delivery to every enabled webhook of its site that subscribed to it, in the transaction of the
/// change that caused it (the webhooks' outbox). The cause's key makes a repeated cause record nothing.
/// </summary>
public sealed class WebhookEvents(NpgsqlDataSource dataSource, WebhookSignal signal)
{
    /// <summary>
    /// SQL: records <c>lead.captured</c> for each lead id in <paramref name="leads"/> (a subquery with an <c>id</c> column),
    /// with the full email only for webhooks made by the site's verified maintainers' account (who see it in the list);
    /// others get <c>@maskedPayload</c>. Parameters: <c>@SiteId</c>, <c>@webhookPayload</c>, <c>@maskedPayload</c>, <c>@webhookTrace</c>.
    /// </summary>
    public static string LeadCapturedFrom(string leads) => $"""
        INSERT INTO webhook_deliveries (id, webhook_id, event_type, event_key, payload, trace_parent)
        SELECT gen_random_uuid(), w.id, '{WebhookEventTypes.LeadCaptured}', '{WebhookEventTypes.LeadCaptured}:' || captured.id,
               CASE WHEN s.verified AND w.created_by_account_id = s.account_id THEN @webhookPayload ELSE @maskedPayload END, @webhookTrace
        FROM {leads} AS captured
        JOIN webhooks w ON w.site_id = @SiteId AND w.enabled AND '{WebhookEventTypes.LeadCaptured}' = ANY (w.events)
        JOIN lead_sites s ON s.site_id = @SiteId
        ON CONFLICT (webhook_id, event_key) DO NOTHING
        """;

    /// <summary>The parameters of <see cref="LeadCapturedFrom"/>.</summary>
    public static object LeadCapturedParameters(DateTimeOffset capturedAt, object lead, object maskedLead) => new
    {
        webhookPayload = WebhookPayload.Serialize(WebhookEventTypes.LeadCaptured, capturedAt, lead),
        maskedPayload = WebhookPayload.Serialize(WebhookEventTypes.LeadCaptured, capturedAt, maskedLead),
        webhookTrace = Activity.Current?.Id,
    };

    /// <returns>How many deliveries were recorded.</returns>
    public static async Task<int> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid siteId, string type, string key, DateTimeOffset occurredAt, object data,
        CancellationToken cancellationToken, Guid? onlyWebhook = null) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, event_key, payload, trace_parent)
            SELECT gen_random_uuid(), id, @type, @key, @payload, @traceParent FROM webhooks
            WHERE site_id = @siteId AND enabled AND (@type = ANY (events) OR id = @onlyWebhook) AND (@onlyWebhook::uuid IS NULL OR id = @onlyWebhook)
            ON CONFLICT (webhook_id, event_key) DO NOTHING
            """, new { siteId, type, key, payload = WebhookPayload.Serialize(type, occurredAt, data), traceParent = Activity.Current?.Id, onlyWebhook },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Records an event that arrived from another service (its message is the change, already committed there).</summary>
    public async Task RecordAsync(Guid siteId, string type, string key, DateTimeOffset occurredAt, object data, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await RecordAsync(connection, null, siteId, type, key, occurredAt, data, cancellationToken) > 0)
        {
            signal.Notify();
        }
    }

    /// <summary>Wakes the dispatcher after a transaction that recorded deliveries committed.</summary>
    public void Flush() => signal.Notify();
}
