using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>
/// PagerDuty's Events API v2: a raised (or repeated) alert triggers an incident, its resolution resolves it. Both carry
/// the rule's <c>dedup_key</c>, so a repeat adds to the open incident rather than opening another.
/// </summary>
public sealed class PagerDutySender(IHttpClientFactory httpClients, IOptions<AlertsOptions> options) : IAlertSender
{
    public string Type => AlertChannelTypes.PagerDuty;

    public static string DedupKey(string rule) => $"foursite/{rule}";

    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        var resolve = notification.Transition == AlertTransitions.Resolved;
        object body = resolve
            ? new { routing_key = channel.Settings.RoutingKey, event_action = "resolve", dedup_key = DedupKey(notification.Rule) }
            : new
            {
                routing_key = channel.Settings.RoutingKey,
                event_action = "trigger",
                dedup_key = DedupKey(notification.Rule),
                payload = new
                {
                    summary = $"{notification.Rule}: {notification.Message}",
                    source = "foursite-metrics",
                    severity = notification.Severity,
                    timestamp = notification.At.ToString("O"),
                    component = notification.Rule,
                    custom_details = new { notification.Value, notification.Threshold, notification.Transition },
                },
            };
        using var response = await httpClients.CreateClient(SlackSender.HttpClientName).PostAsJsonAsync(options.Value.PagerDutyUrl, body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
