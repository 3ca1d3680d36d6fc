using FourSite.Generation.Writers;

namespace FourSite.Generation.Pipeline;

/// <summary>A new site as the generate call answers with it, as it was stored.</summary>
public sealed record GeneratedSite(string Slug, SiteData Data, string Model, bool FallbackUsed, string? AiError, double GenerationTimeMs);
