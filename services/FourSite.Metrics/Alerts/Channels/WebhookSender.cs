namespace FourSite.Metrics.Alerts.Channels;

/// <summary>Posts the notification as plain JSON (rule, severity, transition, message, value, threshold, at) for any receiver.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients) : IAlertSender
{
    public string Type => AlertChannelTypes.Webhook;

    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        using var response = await httpClients.CreateClient(SlackSender.HttpClientName).PostAsJsonAsync(channel.Settings.Url,
            new { source = "foursite", channel = channel.Name, notification.Rule, notification.Severity, notification.Transition, notification.Message,
                  notification.Value, notification.Threshold, notification.At }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
