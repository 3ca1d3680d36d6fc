using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Leads.Webhooks;

/// <summary>Webhook delivery's instruments: attempts by event and outcome, their latency, and webhooks disabled.</summary>
public sealed class WebhookTelemetry : IDisposable
{
    public const string Name = "FourSite.Leads.Webhooks";
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _disabled;

    public WebhookTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _attempts = _meter.CreateCounter<long>("foursite.webhooks.attempts", description: "Webhook delivery attempts, by event and outcome (delivered, failed, gone, error).");
        _latency = _meter.CreateHistogram<double>("foursite.webhooks.latency", unit: "ms", description: "How long owners' endpoints took to answer a delivery.");
        _disabled = _meter.CreateCounter<long>("foursite.webhooks.disabled", description: "Webhooks disabled for answering 410 Gone or failing for days.");
    }

    public void Attempted(string eventType, AttemptOutcome outcome)
    {
        var result = outcome.Delivered ? "delivered" : outcome.Gone ? "gone" : outcome.StatusCode is null ? "error" : "failed";
        _attempts.Add(1, new TagList { { "event", eventType }, { "outcome", result } });
        _latency.Record(outcome.LatencyMs, new KeyValuePair<string, object?>("event", eventType));
    }

    public void Disabled(string reason) => _disabled.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
