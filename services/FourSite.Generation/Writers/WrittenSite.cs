namespace FourSite.Generation.Writers;

/// <summary>A site's content and how it was written: by which model, and whether the built-in writer stood in for a failed AI.</summary>
public sealed record WrittenSite(SiteData Data, string Model, bool FallbackUsed, string? AiError);
