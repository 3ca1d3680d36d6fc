using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace FourSite.Generation.GitHub;

/// <summary>
/// A GitHub repository named by a user's URL. Only <c>https://github.com/{owner}/{repo}</c> (optionally <c>.git</c>, a
/// trailing slash or a path below it) is accepted; the host is never taken from the URL, so no user chooses where we call.
/// </summary>
public sealed partial record RepositoryName(string Owner, string Name)
{
    public const int MaxUrlLength = 2048;

    /// <summary>A case-insensitive key for caches: GitHub treats names without regard to case.</summary>
    public string Key => $"{Owner}/{Name}".ToLowerInvariant();

    public override string ToString() => $"{Owner}/{Name}";

    public static bool TryParse([NotNullWhen(true)] string? url, [NotNullWhen(true)] out RepositoryName? repository)
    {
        repository = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength)
        {
            return false;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !(uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase))
            || uri.UserInfo.Length > 0
            || !uri.IsDefaultPort)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return false;
        }

        var owner = segments[0];
        var name = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        if (!OwnerPattern().IsMatch(owner) || !NamePattern().IsMatch(name) || name is "." or "..")
        {
            return false;
        }

        repository = new RepositoryName(owner, name);
        return true;
    }

    /// <summary>GitHub logins: letters, digits and single hyphens, not at either end, at most 39 characters.</summary>
    [GeneratedRegex("^(?=.{1,39}$)[A-Za-z0-9](?:-?[A-Za-z0-9])*$")]
    private static partial Regex OwnerPattern();

    /// <summary>GitHub repository names: letters, digits, '.', '-' and '_', at most 100 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();
}
