using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation;

/// <summary>How generation behaves (section <c>FourSite:Generation</c>).</summary>
public sealed class GenerationOptions
{
    public const string Section = "FourSite:Generation";

    /// <summary>How long <c>POST /api/generate</c> waits for the site before answering 202.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WaitBound { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a fetched repository and its written content are reused for the same repository.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan CacheWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>GitHub's REST API (section <c>FourSite:GitHub</c>): the only host generation ever fetches from.</summary>
public sealed class GitHubOptions
{
    public const string Section = "FourSite:GitHub";

    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>A token raises GitHub's rate limit; anonymous calls work without one.</summary>
    public string? Token { get; set; }

    /// <summary>The secret GitHub signs its webhook deliveries with (<c>X-Hub-Signature-256</c>); without it none is accepted.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How long a connection to GitHub may take to open before GitHub counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

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
