using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Leads;

/// <summary>Lead capture's instruments: captures by project type and device, and the distribution of scores.</summary>
public sealed class LeadsTelemetry : IDisposable
{
    public const string Name = "FourSite.Leads";

    private readonly Meter _meter;
    private readonly Counter<long> _captured;
    private readonly Histogram<int> _score;

    public LeadsTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _captured = _meter.CreateCounter<long>("foursite.leads.captured", description: "Lead captures (spam excluded), by project type, device and whether they repeated a lead.");
        _score = _meter.CreateHistogram<int>("foursite.leads.score", description: "Lead scores (0-100) at capture.");
    }

    public void Captured(string? projectType, string? deviceType, bool duplicate, int score)
    {
        var tags = new TagList
        {
            { "project_type", projectType ?? "unknown" },
            { "device", deviceType ?? "unknown" },
            { "duplicate", duplicate },
        };
        _captured.Add(1, tags);
        _score.Record(score, new KeyValuePair<string, object?>("project_type", projectType ?? "unknown"));
    }

    public void Dispose() => _meter.Dispose();
}
