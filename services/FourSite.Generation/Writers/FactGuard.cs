using System.Text.RegularExpressions;
using FourSite.Generation.Writers.Readme;

namespace FourSite.Generation.Writers;

/// <summary>
/// A model writes prose, never facts: the name is the README's, an install command the README does not give is replaced
/// by the one it does (or dropped), and a link the README does not contain is dropped.
/// </summary>
public static partial class FactGuard
{
    public static SiteCopy Apply(SiteCopy copy, ReadmeFacts facts, string readme) => copy with
    {
        Title = facts.Name ?? copy.Title,
        Tagline = Keep(copy.Tagline, facts, readme),
        Description = Keep(copy.Description, facts, readme),
        Features = copy.Features.Select(feature => Keep(feature, facts, readme)).Where(feature => feature.Length > 0).ToList(),
    };

    private static string Keep(string text, ReadmeFacts facts, string readme)
    {
        var kept = InstallPhrase().Replace(text, match => readme.Contains(match.Value, StringComparison.Ordinal) ? match.Value : facts.InstallCommand ?? "");
        kept = Url().Replace(kept, match => readme.Contains(match.Value.TrimEnd('.', ',', ')'), StringComparison.Ordinal) ? match.Value : "");
        return Whitespace().Replace(kept, " ").Trim();
    }

    [GeneratedRegex(@"\b(sudo\s+)?(pip3?|pipx|uv|poetry|npm|pnpm|yarn|bun|cargo|go|dotnet|brew|apt-get|apt|dnf|gem|composer|conda|winget|scoop|choco|docker)\s+(install|i|add|get|run|pull|require|tool\s+install|add\s+package)(\s+-{1,2}[\w-]+)*\s+[^\s,;]+")]
    private static partial Regex InstallPhrase();

    [GeneratedRegex(@"\bhttps?://[^\s)]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Whitespace();
}
