using System.Globalization;
using FourSite.Metrics.Signals;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>
/// Posts to an incoming webhook in Slack's format (<c>text</c> plus a coloured attachment), which Slack, Mattermost,
/// Teams connectors and most chat tools accept.
/// </summary>
public sealed class SlackSender(IHttpClientFactory httpClients) : IAlertSender
{
    public const string HttpClientName = "alert-channels";

    public string Type => AlertChannelTypes.Slack;

    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        var open = notification.Transition != AlertTransitions.Resolved;
        var icon = notification.Transition == AlertTransitions.Announced ? "📣" : open ? "🔴" : "✅";
        var payload = new
        {
            text = $"{icon} [{notification.Severity.ToUpperInvariant()}] {notification.Rule} {notification.Transition}: {notification.Message}",
            attachments = new[]
            {
                new
                {
                    color = notification.Severity == Severities.Critical && open ? "danger" : !open || notification.Transition == AlertTransitions.Announced ? "good" : "warning",
                    fields = new[]
                    {
                        new { title = "Rule", value = notification.Rule, @short = true },
                        new { title = "Severity", value = notification.Severity, @short = true },
                        new { title = "Value", value = notification.Value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "n/a", @short = true },
                        new { title = "Threshold", value = notification.Threshold.ToString("0.####", CultureInfo.InvariantCulture), @short = true },
                    },
                    ts = notification.At.ToUnixTimeSeconds(),
                },
            },
        };
        using var response = await httpClients.CreateClient(HttpClientName).PostAsJsonAsync(channel.Settings.Url, payload, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
