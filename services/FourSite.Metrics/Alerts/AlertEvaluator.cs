using System.Globalization;

namespace FourSite.Metrics.Alerts;

/// <summary>A metric's value over a rule's window, and how many observations it rests on.</summary>
public sealed record MetricReading(double? Value, long Samples);

/// <summary>What a rule says right now.</summary>
public sealed record AlertVerdict(AlertRule Rule, bool Firing, double? Value, string Message);

/// <summary>Judges a rule against a reading. Pure: the same rule, reading and time always give the same verdict.</summary>
public static class AlertEvaluator
{
    public static AlertVerdict Evaluate(AlertRule rule, MetricReading reading, DateTimeOffset now)
    {
        if (rule.EvaluateFromUtc is { } from && TimeOnly.FromTimeSpan(now.UtcDateTime.TimeOfDay) < from)
        {
            return new AlertVerdict(rule, false, reading.Value, $"{rule.Name}: checked from {from:HH\\:mm} UTC");
        }

        if (reading.Value is not { } value || reading.Samples < rule.MinimumSamples)
        {
            return new AlertVerdict(rule, false, reading.Value, $"{rule.Name}: not enough data ({reading.Samples} of {rule.MinimumSamples} samples)");
        }

        var breached = rule.Comparison == Signals.Threshold.Above ? value > rule.Threshold : value < rule.Threshold;
        var shown = value.ToString("0.####", CultureInfo.InvariantCulture);
        var limit = rule.Threshold.ToString("0.####", CultureInfo.InvariantCulture);
        return new AlertVerdict(rule, breached, value, breached
            ? $"{rule.Description}: {rule.Metric} is {shown}, {rule.Comparison} {limit}"
            : $"{rule.Name}: {rule.Metric} is {shown}, within {limit}");
    }
}
