using System.Text.RegularExpressions;
using FourSite.Generation.GitHub;

namespace FourSite.Generation.Moderation;

/// <summary>What a block names, checked and made lower-case: <c>owner/name</c> for a repository, a GitHub login for an owner or account.</summary>
public static partial class BlockValue
{
    public static string? Normalize(string? kind, string? value, Dictionary<string, string[]> errors)
    {
        if (kind is not (BlockStore.Repository or BlockStore.Owner or BlockStore.Account))
        {
            errors["kind"] = ["kind must be repository, owner or account."];
            return null;
        }

        var trimmed = value?.Trim() ?? "";
        if (kind == BlockStore.Repository)
        {
            if (trimmed.Count(c => c == '/') == 1 && RepositoryName.TryParse($"https://github.com/{trimmed}", out var repository))
            {
                return $"{repository.Owner}/{repository.Name}".ToLowerInvariant();
            }

            errors["value"] = ["value must be a repository as owner/name."];
            return null;
        }

        if (!Login().IsMatch(trimmed))
        {
            errors["value"] = ["value must be a GitHub login."];
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")]
    private static partial Regex Login();
}
