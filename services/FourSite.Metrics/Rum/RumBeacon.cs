namespace FourSite.Metrics.Rum;

/// <summary>The body of <c>POST /api/analytics/rum</c>. Unknown fields, in the body or in <c>data</c>, are dropped.</summary>
public sealed record RumBeacon(string? Type, RumData? Data, string? SessionId, string? Url, string? UserAgent, DateTimeOffset? Timestamp);

/// <summary>
/// What a beacon measured: Core Web Vitals (<c>lcp</c>, <c>fid</c>, <c>inp</c> in ms, <c>cls</c>), an AI generation
/// seen by the browser (<c>duration</c> ms, <c>success</c>, <c>model</c>), or a viral interaction (<c>action</c>, <c>platform</c>).
/// </summary>
public sealed record RumData(
    double? Lcp = null,
    double? Fid = null,
    double? Inp = null,
    double? Cls = null,
    double? Duration = null,
    bool? Success = null,
    string? Model = null,
    string? Action = null,
    string? Platform = null);

/// <summary>The beacon types RUM accepts.</summary>
public static class RumTypes
{
    public const string CoreWebVitals = "core_web_vitals";
    public const string AiGeneration = "ai_generation";
    public const string ViralInteraction = "viral_interaction";

    public static readonly IReadOnlyList<string> All = [CoreWebVitals, AiGeneration, ViralInteraction];
}

/// <summary>A validated beacon as buffered and stored.</summary>
public sealed record AcceptedBeacon(Guid Id, string Type, string? SessionId, string? Url, string? UserAgent, RumData Data, DateTimeOffset OccurredAt);
