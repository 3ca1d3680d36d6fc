using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>A channel a notification can be delivered to: its name in the rules, its type and settings.</summary>
public sealed record AlertChannel(string Name, string Type, AlertChannelSettings Settings);

/// <summary>
/// The channels rules name, as operators configured them. <c>log</c> is always there (the dashboard's structured logs).
/// A <c>slack-…</c> channel not configured on its own posts to <c>FourSite:Metrics:AlertWebhookUrl</c> when that is
/// set; any other unconfigured channel falls back to the log, with a warning the first time.
/// </summary>
public sealed partial class AlertChannels(IOptions<AlertsOptions> alerts, IOptions<MetricsOptions> metrics, AlertRuleSet rules, ILogger<AlertChannels> logger)
{
    public const string Log = "log";

    /// <summary>The channels the launch plan routes its rules to.</summary>
    public static readonly IReadOnlyList<string> PlanNames = ["slack-critical", "slack-alerts", "slack-business", "email-oncall", "pagerduty"];

    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    /// <summary>Every channel a delivery can be made to: those configured, and the <c>slack-…</c> ones the plan or a rule names.</summary>
    public IEnumerable<AlertChannel> Configured =>
        alerts.Value.Channels.Select(pair => new AlertChannel(pair.Key, pair.Value.Type!, pair.Value))
            .Concat(PlanNames.Concat(rules.Rules.SelectMany(rule => rule.Channels)).Distinct().Select(LegacySlack).OfType<AlertChannel>());

    /// <summary>The channel called <paramref name="name"/>; null when notifications for it go to the log.</summary>
    public AlertChannel? Find(string name)
    {
        if (name == Log)
        {
            return null;
        }

        if (alerts.Value.Channels.TryGetValue(name, out var settings))
        {
            return new AlertChannel(name, settings.Type!, settings);
        }

        if (LegacySlack(name) is { } legacy)
        {
            return legacy;
        }

        if (_warned.TryAdd(name, true))
        {
            LogUnconfigured(logger, name);
        }

        return null;
    }

    private AlertChannel? LegacySlack(string name) =>
        !alerts.Value.Channels.ContainsKey(name) && name.StartsWith("slack-", StringComparison.Ordinal) && metrics.Value.AlertWebhookUrl is { Length: > 0 } url
            ? new AlertChannel(name, AlertChannelTypes.Slack, new AlertChannelSettings { Type = AlertChannelTypes.Slack, Url = url })
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert channel {Channel} is not configured (FourSite__Alerts__Channels__{Channel}__Type): its alerts go to the log")]
    private static partial void LogUnconfigured(ILogger logger, string channel);
}
