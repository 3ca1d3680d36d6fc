using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// Alerts posted to an incoming webhook in Slack's format (<c>text</c> plus a coloured attachment), which Slack,
/// Mattermost, Teams connectors and most chat tools accept. Without a configured URL it sends nothing.
/// </summary>
public sealed partial class WebhookChannel(IHttpClientFactory httpClients, IOptions<MetricsOptions> options, ILogger<WebhookChannel> logger) : INotificationChannel
{
    public const string HttpClientName = "alert-webhook";

    public string Name => NotificationChannels.Webhook;

    public async Task SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(options.Value.AlertWebhookUrl, UriKind.Absolute, out var url))
        {
            return;
        }

        var raised = notification.Transition == AlertTransitions.Raised;
        var payload = new
        {
            text = $"{(raised ? "🔴" : "✅")} [{notification.Severity.ToUpperInvariant()}] {notification.Rule} {notification.Transition}: {notification.Message}",
            attachments = new[]
            {
                new
                {
                    color = raised ? (notification.Severity == "critical" ? "danger" : "warning") : "good",
                    fields = new[]
                    {
                        new { title = "Rule", value = notification.Rule, @short = true },
                        new { title = "Severity", value = notification.Severity, @short = true },
                        new { title = "Value", value = notification.Value?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a", @short = true },
                        new { title = "Threshold", value = notification.Threshold.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), @short = true },
                    },
                    ts = notification.At.ToUnixTimeSeconds(),
                },
            },
        };
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).PostAsJsonAsync(url, payload, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.ExecutionRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, notification.Rule, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule} not delivered to the webhook: {Reason}")]
    private static partial void LogFailed(ILogger logger, string rule, string reason);
}
