using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Leads.Email;

/// <summary>Email's instruments: messages by kind and outcome, how long the SMTP server took, emails written, and visitors' subscription changes.</summary>
public sealed class EmailTelemetry : IDisposable
{
    public const string Name = "FourSite.Leads.Email";
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _queued;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _subscriptions;

    public EmailTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _messages = _meter.CreateCounter<long>("foursite.email.messages", description: "Emails handled, by kind and outcome (sent, pending: to retry, failed, suppressed, skipped).");
        _queued = _meter.CreateCounter<long>("foursite.email.queued", description: "Emails written for sending, by kind.");
        _subscriptions = _meter.CreateCounter<long>("foursite.email.subscriptions", description: "Subscription changes by visitors: confirmed, unsubscribed, unsubscribed_everywhere, resubscribed.");
        _duration = _meter.CreateHistogram<double>("foursite.email.send.duration", unit: "ms", description: "How long the SMTP server took to accept one message.");
    }

    public void Handled(string kind, string outcome, double milliseconds)
    {
        _messages.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });
        if (outcome == "sent")
        {
            _duration.Record(milliseconds, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public void SubscriptionChanged(string change) => _subscriptions.Add(1, new KeyValuePair<string, object?>("change", change));

    public void Queued(string kind, int count) => _queued.Add(count, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
