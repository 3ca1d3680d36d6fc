using System.Text.Json;
using System.Text.Json.Serialization;

namespace FourSite.Metrics.Rum;

/// <summary>
/// The body of <c>POST /api/analytics/rum</c>, as the platform's <c>rum.js</c> and the seed's <c>RUMTracker</c> send it.
/// <c>timestamp</c> is ISO-8601 or epoch milliseconds. Unknown fields, in the body or in <c>data</c>, are dropped.
/// </summary>
public sealed record RumBeacon(
    string? Type,
    RumData? Data,
    string? SessionId,
    string? Url,
    string? UserAgent,
    [property: JsonConverter(typeof(BeaconTimestampConverter))] DateTimeOffset? Timestamp);

/// <summary>
/// What a beacon measured. Core Web Vitals come either compound (<c>lcp</c>, <c>fid</c>, <c>inp</c>, <c>fcp</c>,
/// <c>ttfb</c> in ms, <c>cls</c>) or one a beacon (<c>metric</c> and <c>value</c>, as the seed's tracker sends them);
/// an AI generation seen by the browser (<c>duration</c> ms, <c>success</c>, <c>model</c>, <c>repoComplexity</c>); a
/// viral interaction (<c>action</c>, <c>platform</c>, <c>sessionTime</c> ms since the page opened).
/// </summary>
public sealed record RumData(
    double? Lcp = null,
    double? Fid = null,
    double? Inp = null,
    double? Cls = null,
    double? Fcp = null,
    double? Ttfb = null,
    string? Metric = null,
    double? Value = null,
    double? Duration = null,
    bool? Success = null,
    string? Model = null,
    JsonElement? RepoComplexity = null,
    string? Action = null,
    string? Platform = null,
    double? SessionTime = null,
    double? Load = null)
{
    /// <summary>The Core Web Vitals a beacon can carry, by the name <c>metric</c> gives them.</summary>
    public static readonly IReadOnlyList<string> Vitals = ["lcp", "fid", "inp", "cls", "fcp", "ttfb", "load"];

    /// <summary>
    /// The one-metric form turned compound (<c>{metric: "lcp", value: 812}</c> becomes <c>{lcp: 812}</c>), so both are
    /// stored and measured alike; an unknown metric, or one without a value, stays as it came, for validation to name.
    /// </summary>
    public RumData Compound() => Value is null ? this : Metric switch
    {
        "lcp" => this with { Lcp = Value, Metric = null, Value = null },
        "fid" => this with { Fid = Value, Metric = null, Value = null },
        "inp" => this with { Inp = Value, Metric = null, Value = null },
        "cls" => this with { Cls = Value, Metric = null, Value = null },
        "fcp" => this with { Fcp = Value, Metric = null, Value = null },
        "ttfb" => this with { Ttfb = Value, Metric = null, Value = null },
        "load" => this with { Load = Value, Metric = null, Value = null },
        _ => this,
    };

    public bool HasVital => Lcp is not null || Fid is not null || Inp is not null || Cls is not null || Fcp is not null || Ttfb is not null || Load is not null;
}

/// <summary>The beacon types RUM accepts.</summary>
public static class RumTypes
{
    public const string CoreWebVitals = "core_web_vitals";
    public const string AiGeneration = "ai_generation";
    public const string ViralInteraction = "viral_interaction";

    public static readonly IReadOnlyList<string> All = [CoreWebVitals, AiGeneration, ViralInteraction];

    /// <summary>A page opened, as the page-view endpoint records it; never taken as a beacon's type.</summary>
    public const string PageView = "page_view";
}

/// <summary>
/// A validated beacon as buffered and stored: the visitor's device class in place of their user agent, which is never
/// kept. A page view (<see cref="RumTypes.PageView"/>, from <c>POST /api/analytics/pageview</c>) carries its visit.
/// </summary>
public sealed record AcceptedBeacon(Guid Id, string Type, string? SessionId, string? Url, string? Device, RumData Data, DateTimeOffset OccurredAt,
    SiteAnalytics.PageVisit? Visit = null);
