using System.Text.Json;
using FourSite.Metrics.Signals;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// An alert rule as written in the rules file: a metric over a window compared with a threshold, how severe a breach
/// is, where it is sent, how many samples it needs before it means anything, and optionally the UTC time of day from
/// which it is checked.
/// </summary>
public sealed record AlertRule(
    string Name,
    string Description,
    string Metric,
    string Comparison,
    double Threshold,
    TimeSpan Window,
    string Severity,
    IReadOnlyList<string> Channels,
    long MinimumSamples = 0,
    TimeOnly? EvaluateFromUtc = null);

/// <summary>The rules the service evaluates.</summary>
public sealed record AlertRuleSet(IReadOnlyList<AlertRule> Rules);

/// <summary>Reads and checks the rules file, so a typo stops the service at start rather than silencing an alert.</summary>
public static partial class AlertRuleFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AlertRuleSet Load(string path)
    {
        var rules = JsonSerializer.Deserialize<AlertRuleSet>(File.ReadAllText(path), Json)?.Rules
            ?? throw new InvalidDataException($"{path} has no rules.");
        var problems = rules.SelectMany(Problems).ToList();
        if (rules.Select(rule => rule.Name).Distinct().Count() != rules.Count)
        {
            problems.Add("rule names must be unique");
        }

        return problems.Count == 0 ? new AlertRuleSet(rules) : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
    }

    private static IEnumerable<string> Problems(AlertRule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.Name)) yield return "a rule has no name";
        if (!AlertMetrics.Names.Contains(rule.Metric)) yield return $"{rule.Name}: unknown metric '{rule.Metric}' (known: {string.Join(", ", AlertMetrics.Names)})";
        if (rule.Comparison is not (Signals.Threshold.Above or Signals.Threshold.Below)) yield return $"{rule.Name}: comparison must be above or below";
        if (rule.Severity is not (Severities.Info or Severities.Warning or Severities.Critical)) yield return $"{rule.Name}: severity must be info, warning or critical";
        if (rule.Window <= TimeSpan.Zero) yield return $"{rule.Name}: window must be positive";
        foreach (var channel in rule.Channels.Where(channel => !ChannelName().IsMatch(channel)))
        {
            yield return $"{rule.Name}: channel '{channel}' must be a name of lower-case letters, digits and '-'";
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,40}$")]
    private static partial System.Text.RegularExpressions.Regex ChannelName();
}
