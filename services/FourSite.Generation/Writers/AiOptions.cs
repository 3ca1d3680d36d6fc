using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.Writers;

/// <summary>
/// An OpenAI-compatible chat endpoint (section <c>FourSite:Ai</c>), e.g. Gemini's
/// <c>https://generativelanguage.googleapis.com/v1beta/openai/</c>. Without an API key the built-in writer is used.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "FourSite:Ai";

    public Uri Endpoint { get; set; } = new("https://generativelanguage.googleapis.com/v1beta/openai/");

    public string? ApiKey { get; set; }

    public string Model { get; set; } = "gemini-2.5-flash";

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
