using System.Text.Json;

namespace FourSite.Leads.Webhooks;

/// <summary>The body of every delivery, as Standard Webhooks suggests: <c>{type, timestamp, data}</c>.</summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(string type, DateTimeOffset occurredAt, object data) =>
        JsonSerializer.Serialize(new { type, timestamp = occurredAt.ToUniversalTime(), data }, Json);
}
