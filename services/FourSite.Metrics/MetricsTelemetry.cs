using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Metrics;

/// <summary>Real-user vitals as OpenTelemetry histograms (so the Aspire dashboard shows them), beacons, events and alerts.</summary>
public sealed class MetricsTelemetry : IDisposable
{
    public const string Name = "FourSite.Metrics";

    private readonly Meter _meter;
    private readonly Counter<long> _beacons;
    private readonly Histogram<double> _lcp;
    private readonly Histogram<double> _fid;
    private readonly Histogram<double> _inp;
    private readonly Histogram<double> _cls;
    private readonly Histogram<double> _fcp;
    private readonly Histogram<double> _ttfb;
    private readonly Histogram<double> _aiDuration;
    private readonly Counter<long> _events;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _alertDeliveries;
    private readonly Counter<long> _releases;
    private readonly Counter<long> _pageViews;

    public MetricsTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _beacons = _meter.CreateCounter<long>("foursite.rum.beacons", description: "RUM beacons accepted, by type.");
        _lcp = _meter.CreateHistogram<double>("foursite.rum.lcp", "ms", "Largest Contentful Paint seen by real users.");
        _fid = _meter.CreateHistogram<double>("foursite.rum.fid", "ms", "First Input Delay seen by real users.");
        _inp = _meter.CreateHistogram<double>("foursite.rum.inp", "ms", "Interaction to Next Paint seen by real users.");
        _cls = _meter.CreateHistogram<double>("foursite.rum.cls", description: "Cumulative Layout Shift seen by real users.");
        _fcp = _meter.CreateHistogram<double>("foursite.rum.fcp", "ms", "First Contentful Paint seen by real users.");
        _ttfb = _meter.CreateHistogram<double>("foursite.rum.ttfb", "ms", "Time to First Byte seen by real users.");
        _aiDuration = _meter.CreateHistogram<double>("foursite.rum.ai_generation.duration", "ms", "Generation time as the browser saw it, by success.");
        _events = _meter.CreateCounter<long>("foursite.analytics.events", description: "Business events recorded, by type.");
        _alerts = _meter.CreateCounter<long>("foursite.alerts", description: "Alerts raised and resolved, by rule, severity and transition.");
        _alertDeliveries = _meter.CreateCounter<long>("foursite.alerts.deliveries", description: "Alert notifications delivery attempts, by channel and outcome (delivered, retry, failed, silenced).");
        _releases = _meter.CreateCounter<long>("foursite.releases", description: "Releases, rollbacks and slot switches recorded, by kind and outcome.");
        _pageViews = _meter.CreateCounter<long>("foursite.analytics.page_views", description: "Page views of generated sites taken, by whether they were counted (not a crawler or previewer).");
    }

    public void Beacon(Rum.AcceptedBeacon beacon)
    {
        _beacons.Add(1, new KeyValuePair<string, object?>("type", beacon.Type));
        var page = new KeyValuePair<string, object?>("page", PageOf(beacon.Url));
        RecordIf(_lcp, beacon.Data.Lcp, page);
        RecordIf(_fid, beacon.Data.Fid, page);
        RecordIf(_inp, beacon.Data.Inp, page);
        RecordIf(_cls, beacon.Data.Cls, page);
        RecordIf(_fcp, beacon.Data.Fcp, page);
        RecordIf(_ttfb, beacon.Data.Ttfb, page);
        if (beacon.Type == Rum.RumTypes.AiGeneration)
        {
            RecordIf(_aiDuration, beacon.Data.Duration, new KeyValuePair<string, object?>("success", beacon.Data.Success ?? true));
        }
    }

    public void PageView(bool counted) => _pageViews.Add(1, new KeyValuePair<string, object?>("counted", counted));

    public void Event(string type) => _events.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Alert(string rule, string severity, string transition) =>
        _alerts.Add(1, new TagList { { "rule", rule }, { "severity", severity }, { "transition", transition } });

    public void AlertDelivery(string channel, string outcome) =>
        _alertDeliveries.Add(1, new TagList { { "channel", channel }, { "outcome", outcome } });

    public void Release(string kind, string outcome) =>
        _releases.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });

    /// <summary>The kind of page, not its address: a tag per generated site would be unbounded.</summary>
    private static string PageOf(string? url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url ?? "";
        return path switch
        {
            "/" or "" => "landing",
            _ when path.StartsWith("/s/", StringComparison.Ordinal) => "site",
            _ when path.StartsWith("/dashboard", StringComparison.Ordinal) => "dashboard",
            _ when path.StartsWith("/ops", StringComparison.Ordinal) => "ops",
            _ => "other",
        };
    }

    private static void RecordIf(Histogram<double> histogram, double? value, KeyValuePair<string, object?> tag)
    {
        if (value is { } measured)
        {
            histogram.Record(measured, tag);
        }
    }

    public void Dispose() => _meter.Dispose();
}
