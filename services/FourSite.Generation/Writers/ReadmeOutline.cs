using System.Text.RegularExpressions;

namespace FourSite.Generation.Writers;

/// <summary>
/// The parts of a Markdown README a landing page is made of: the first heading, the paragraphs, the section headings
/// and the bullets under each. Code blocks, images, badges and raw HTML are left out.
/// </summary>
public sealed partial class ReadmeOutline
{
    private ReadmeOutline(string? title, List<string> paragraphs, List<Section> sections)
    {
        Title = title;
        Paragraphs = paragraphs;
        Sections = sections;
    }

    public string? Title { get; }

    public IReadOnlyList<string> Paragraphs { get; }

    public IReadOnlyList<Section> Sections { get; }

    /// <summary>A heading below the title and the bullets written under it.</summary>
    public sealed record Section(string Heading, List<string> Bullets);

    public static ReadmeOutline Parse(string markdown)
    {
        string? title = null;
        var paragraphs = new List<string>();
        var sections = new List<Section>();
        var current = new Section("", []);
        var paragraph = new List<string>();
        var inCode = false;

        void EndParagraph()
        {
            if (paragraph.Count > 0)
            {
                var text = Inline(string.Join(' ', paragraph));
                if (text.Length > 0)
                {
                    paragraphs.Add(text);
                }

                paragraph.Clear();
            }
        }

        foreach (var rawLine in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                inCode = !inCode;
                EndParagraph();
                continue;
            }

            if (inCode || line.StartsWith('<') || line.StartsWith('|') || ImageOrBadgeOnly().IsMatch(line) || IsMostlySymbols(line))
            {
                EndParagraph();
                continue;
            }

            if (Heading().Match(line) is { Success: true } heading)
            {
                EndParagraph();
                var text = Inline(heading.Groups[2].Value);
                if (heading.Groups[1].Length == 1 && title is null)
                {
                    title = text;
                }
                else if (text.Length > 0)
                {
                    current = new Section(text, []);
                    sections.Add(current);
                }

                continue;
            }

            if (Bullet().Match(line) is { Success: true } bullet)
            {
                EndParagraph();
                var text = Inline(bullet.Groups[1].Value);
                if (text.Length > 0)
                {
                    current.Bullets.Add(text);
                    if (current.Heading.Length == 0 && !sections.Contains(current))
                    {
                        sections.Add(current);
                    }
                }

                continue;
            }

            if (line.Length == 0)
            {
                EndParagraph();
            }
            else
            {
                paragraph.Add(line);
            }
        }

        EndParagraph();
        return new ReadmeOutline(title, paragraphs, sections);
    }

    /// <summary>ASCII art, rules and tables of dashes carry no words worth a page.</summary>
    private static bool IsMostlySymbols(string line) =>
        line.Length > 0 && line.Count(char.IsLetterOrDigit) * 2 < line.Count(c => !char.IsWhiteSpace(c));

    /// <summary>Markdown inline syntax reduced to its words: links keep their text, emphasis and code marks go.</summary>
    private static string Inline(string text)
    {
        text = Image().Replace(text, "");
        text = Link().Replace(text, "$1");
        text = Emphasis().Replace(text, "");
        return PlainText.Clean(text, 1000);
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^(\[?!\[[^\]]*\]\([^)]*\)\]?(\([^)]*\))?\s*)+$")]
    private static partial Regex ImageOrBadgeOnly();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|`|~~)")]
    private static partial Regex Emphasis();
}
