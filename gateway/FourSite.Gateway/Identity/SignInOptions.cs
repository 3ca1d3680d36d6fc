namespace FourSite.Gateway.Identity;

/// <summary>
/// Signing in with GitHub (section <c>FourSite:GitHub:OAuth</c>): a GitHub OAuth app's client, and where GitHub's
/// authorize and token endpoints are. Without a client id, sign-in is off and every anonymous flow works as before.
/// </summary>
public sealed class SignInOptions
{
    public const string Section = "FourSite:GitHub:OAuth";

    public string? ClientId { get; set; }

    /// <summary>A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    public Uri AuthorizeUrl { get; set; } = new("https://github.com/login/oauth/authorize");

    public Uri TokenUrl { get; set; } = new("https://github.com/login/oauth/access_token");

    /// <summary>GitHub's REST API, for the signed-in user and their permission on a repository (<c>FourSite:GitHub:ApiUrl</c>).</summary>
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>How long a session lasts without being used.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}
