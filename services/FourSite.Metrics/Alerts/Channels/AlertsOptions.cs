using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>
/// Where alerts go (section <c>FourSite:Alerts</c>): named channels, each of a type
/// (<c>FourSite__Alerts__Channels__{name}__Type</c> = slack, pagerduty, email or webhook), and how often a firing
/// critical alert is sent again.
/// </summary>
public sealed class AlertsOptions
{
    public const string Section = "FourSite:Alerts";

    public Dictionary<string, AlertChannelSettings> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A critical alert still firing is sent again this often (unless silenced).</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>PagerDuty's Events API v2 (a setting so tests and proxies can stand in).</summary>
    public string PagerDutyUrl { get; set; } = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>How long one delivery attempt may take before it counts as failed and is retried.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries still failing after this long are given up (and logged as errors).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The problems of the configured channels: the service does not start with any.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, channel) in Channels)
        {
            var problem = channel.Type switch
            {
                AlertChannelTypes.Slack or AlertChannelTypes.Webhook when !IsHttpUrl(channel.Url) => "needs Url, an absolute http(s) address",
                AlertChannelTypes.PagerDuty when string.IsNullOrWhiteSpace(channel.RoutingKey) => "needs RoutingKey, the integration's routing key",
                AlertChannelTypes.Email when channel.To.Count == 0 || !channel.To.All(address => new EmailAddressAttribute().IsValid(address)) =>
                    "needs To__0..n, valid email addresses",
                AlertChannelTypes.Slack or AlertChannelTypes.Webhook or AlertChannelTypes.PagerDuty or AlertChannelTypes.Email => null,
                _ => $"has Type '{channel.Type}'; it must be one of {string.Join(", ", AlertChannelTypes.All)}",
            };
            if (name == AlertChannels.Log)
            {
                problem = "'log' is built in and cannot be configured";
            }

            if (problem is not null)
            {
                yield return $"FourSite:Alerts:Channels:{name} {problem}";
            }
        }
    }

    private static bool IsHttpUrl(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}

/// <summary>One channel: its type, and what that type needs.</summary>
public sealed class AlertChannelSettings
{
    public string? Type { get; set; }

    /// <summary>slack and webhook: where notifications are posted.</summary>
    public string? Url { get; set; }

    /// <summary>pagerduty: the Events API v2 integration key.</summary>
    public string? RoutingKey { get; set; }

    /// <summary>email: the recipients.</summary>
    public List<string> To { get; set; } = [];
}

public static class AlertChannelTypes
{
    public const string Slack = "slack";
    public const string PagerDuty = "pagerduty";
    public const string Email = "email";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All = [Slack, PagerDuty, Email, Webhook];
}

/// <summary>A misconfigured channel stops the service at start, naming what is wrong, rather than losing a page later.</summary>
public sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
