using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.GitHub;

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
