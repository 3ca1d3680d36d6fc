using System.Text.RegularExpressions;
using FourSite.Generation.GitHub;

namespace FourSite.Generation.Moderation;

/// <summary>
/// The shape of a phishing launch: a repository made in the last day, with no stars, whose page (or the README it is
/// written from and links to) links off GitHub to something that asks visitors to sign in, verify or connect a wallet. Such a site is raised into the moderation queue
/// for a person to look at; nothing is suspended on a guess.
/// </summary>
public static partial class LoginLinkCheck
{
    public const string Name = "new_repository_login_links";

    private static readonly TimeSpan NewFor = TimeSpan.FromHours(24);

    /// <summary><see cref="Name"/> when the site looks like that, else null.</summary>
    public static string? Check(RepositorySnapshot repository, string page, DateTimeOffset now) =>
        repository.CreatedAt is { } created && now - created < NewFor && repository.Stars == 0
        && LinksIn(page).Concat(Url().Matches(repository.Readme).Select(match => match.Value)).Append(repository.Homepage ?? "").Any(IsLoginLikeOffGitHub)
            ? Name
            : null;

    private static IEnumerable<string> LinksIn(string page) => Href().Matches(page).Select(match => System.Net.WebUtility.HtmlDecode(match.Groups[1].Value));

    private static bool IsLoginLikeOffGitHub(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && !IsGitHub(uri.IdnHost)
        && LoginLike().IsMatch(uri.IdnHost + uri.AbsolutePath);

    private static bool IsGitHub(string host) =>
        host is "github.com" or "gist.github.com" or "githubusercontent.com"
        || host.EndsWith(".github.com", StringComparison.Ordinal) || host.EndsWith(".github.io", StringComparison.Ordinal)
        || host.EndsWith(".githubusercontent.com", StringComparison.Ordinal);

    [GeneratedRegex("href=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Href();

    [GeneratedRegex(@"https?://[^\s<>""'()\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"log-?in|sign-?in|log-?on|oauth|auth(orize)?\b|verif(y|ication)|password|wallet|2fa|mfa|recover|unlock|claim|airdrop|seed-?phrase",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoginLike();
}
