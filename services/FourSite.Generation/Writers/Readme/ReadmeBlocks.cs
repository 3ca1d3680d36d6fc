using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FourSite.Generation.Writers.Readme;

/// <summary>
/// A README (Markdown with embedded HTML, parsed by Markdig) as the flat run of parts a reader meets: headings,
/// paragraphs and list items as plain text (with how much of it is link text, and their images), code blocks, and HTML
/// blocks reduced to their text, headings and images. Each part knows the section (heading) it stands under.
/// </summary>
public static partial class ReadmeBlocks
{
    // Not the "advanced" set: its generic attributes would eat a name like {fmt}.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().UseAutoLinks().UseTaskLists().UseFootnotes().UseAlertBlocks().Build();

    public abstract record Part(string Section);

    public sealed record Heading(string Section, int Level, string Text, IReadOnlyList<Picture> Images) : Part(Section);

    /// <summary>Prose: a paragraph (or an HTML block's text); <see cref="LinkShare"/> is how much of it is link text (0 to 1).</summary>
    public sealed record Prose(string Section, string Text, double LinkShare, bool InList, bool FromHtml, IReadOnlyList<Picture> Images, IReadOnlyList<Link> Links, string? Bold)
        : Part(Section);

    public sealed record Code(string Section, string? Language, string Text) : Part(Section);

    public sealed record Picture(string Url, string Alt);

    public sealed record Link(string Url, string Text);

    public static IReadOnlyList<Part> Read(string markdown)
    {
        var parts = new List<Part>();
        var path = new Sections();
        Walk(Markdown.Parse(markdown, Pipeline), parts, path, inList: false);
        return parts;
    }

    /// <summary>
    /// The headings a part stands under, joined with " > " ("Example > Create it"): a part under a subsection is still
    /// under its section. The README's first top-level heading is its title, not a section.
    /// </summary>
    private sealed class Sections
    {
        private readonly List<(int Level, string Text)> _open = [];
        private bool _titleSeen;

        public string Current => string.Join(" > ", _open.Select(heading => heading.Text));

        public void Enter(int level, string text)
        {
            if (level == 1 && !_titleSeen && _open.Count == 0)
            {
                _titleSeen = true;
                return;
            }

            _open.RemoveAll(heading => heading.Level >= level);
            _open.Add((level, text));
        }
    }

    private static void Walk(ContainerBlock container, List<Part> parts, Sections section, bool inList)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    var (text, _, images, _, _) = InlineText(heading.Inline);
                    parts.Add(new Heading(section.Current, heading.Level, text, images));
                    section.Enter(heading.Level, text);
                    break;
                case ParagraphBlock paragraph:
                    var prose = InlineText(paragraph.Inline);
                    parts.Add(new Prose(section.Current, prose.Text, prose.LinkShare, inList, false, prose.Images, prose.Links, prose.Bold));
                    break;
                case FencedCodeBlock fenced:
                    parts.Add(new Code(section.Current, LanguageOf(fenced.Info), LinesOf(fenced)));
                    break;
                case HtmlBlock html:
                    AddHtml(LinesOf(html), section, parts, inList);
                    break;
                case CodeBlock code:
                    parts.Add(new Code(section.Current, null, LinesOf(code)));
                    break;
                case ListBlock list:
                    Walk(list, parts, section, inList: true);
                    break;
                case Markdig.Extensions.Alerts.AlertBlock:
                    // GitHub's "> [!NOTE]", "> [!IMPORTANT]"…: asides to the reader (a move, a funding call), never the project's own words.
                    break;
                case ContainerBlock nested:
                    Walk(nested, parts, section, inList);
                    break;
            }
        }
    }

    /// <summary>
    /// An HTML block: its headings become headings, and each of its paragraphs (split at &lt;p&gt;, &lt;div&gt;, &lt;br&gt;
    /// and headings) prose with its pictures and links, counted like Markdown's.
    /// </summary>
    private static void AddHtml(string html, Sections sections, List<Part> parts, bool inList)
    {
        // A centred <h3> of whole sentences under a logo is a tagline, not a section: it stays prose.
        var headings = HtmlHeading().Matches(html)
            .Where(heading => heading.Groups[1].Value == "1" || PlainText.Clean(heading.Groups[2].Value, 200).Split(' ').Length < 6).ToList();
        foreach (var heading in headings)
        {
            var level = int.Parse(heading.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var title = PlainText.Clean(heading.Groups[2].Value, 200);
            var images = HtmlImage().Matches(heading.Value).Select(PictureOf).ToList();
            parts.Add(new Heading(sections.Current, level, title, images));
            sections.Enter(level, title);
        }

        var rest = headings.Aggregate(html, (remaining, heading) => remaining.Replace(heading.Value, " ", StringComparison.Ordinal));
        foreach (var segment in HtmlParagraphBreak().Split(rest))
        {
            var text = PlainText.Clean(segment, 2000);
            var anchors = HtmlAnchor().Matches(segment);
            var images = HtmlImage().Matches(segment).Select(PictureOf).ToList();
            if (text.Length == 0 && images.Count == 0)
            {
                continue;
            }

            var linkText = anchors.Sum(match => PlainText.Clean(match.Groups[1].Value, 2000).Length);
            var links = anchors.Select(match => new Link(Attribute(match.Value, "href") ?? "", PlainText.Clean(match.Groups[1].Value, 200))).ToList();
            var bold = HtmlBold().Match(segment) is { Success: true } strong ? PlainText.Clean(strong.Groups[2].Value, 200) : null;
            parts.Add(new Prose(sections.Current, text, text.Length == 0 ? 1 : Math.Min(1, linkText / (double)text.Length), inList, true, images, links, bold));
        }
    }

    private static Picture PictureOf(Match image) => new(Attribute(image.Value, "src") ?? "", PlainText.Clean(Attribute(image.Value, "alt"), 200));

    /// <summary>A fence's language: <c>python</c> from "python", "{.sourceCode .python}" or "python title=app.py".</summary>
    private static string? LanguageOf(string? info) =>
        info?.Split([' ', '{', '}', '.'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(token => !token.Equals("sourceCode", StringComparison.OrdinalIgnoreCase) && !token.Contains('='))
            ?.ToLowerInvariant();

    private static string LinesOf(LeafBlock block) =>
        string.Join('\n', block.Lines.Lines.Take(block.Lines.Count).Select(line => line.Slice.ToString())).TrimEnd();

    private sealed class InlineCollector
    {
        public StringBuilder Text { get; } = new();
        public int LinkCharacters { get; set; }
        public List<Picture> Images { get; } = [];
        public List<Link> Links { get; } = [];
        public string? Bold { get; set; }
    }

    private static (string Text, double LinkShare, List<Picture> Images, List<Link> Links, string? Bold) InlineText(ContainerInline? inline)
    {
        var collector = new InlineCollector();
        Collect(inline, collector);
        var text = PlainText.Clean(collector.Text.ToString(), 4000);
        return (text, text.Length == 0 ? 1 : Math.Min(1, collector.LinkCharacters / (double)text.Length), collector.Images, collector.Links, collector.Bold);
    }

    private static void Collect(Inline? inline, InlineCollector into)
    {
        switch (inline)
        {
            case null:
                return;
            case LiteralInline literal:
                into.Text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                into.Text.Append(code.Content);
                break;
            case LineBreakInline:
                into.Text.Append(' ');
                break;
            case HtmlEntityInline entity:
                into.Text.Append(entity.Transcoded.ToString());
                break;
            case AutolinkInline autolink:
                into.Text.Append(autolink.Url);
                into.LinkCharacters += autolink.Url.Length;
                into.Links.Add(new Link(autolink.Url, autolink.Url));
                break;
            case HtmlInline html:
                if (HtmlImage().Match(html.Tag) is { Success: true } tag)
                {
                    into.Images.Add(PictureOf(tag));
                }
                else if (html.Tag.StartsWith("<a ", StringComparison.OrdinalIgnoreCase) && Attribute(html.Tag, "href") is { } href)
                {
                    into.Links.Add(new Link(href, ""));
                }

                break;
            case LinkInline { IsImage: true } image:
                var alt = new InlineCollector();
                foreach (var child in image)
                {
                    Collect(child, alt);
                }

                into.Images.Add(new Picture(image.Url ?? "", PlainText.Clean(alt.Text.ToString(), 200)));
                break;
            case LinkInline link:
                var before = into.Text.Length;
                foreach (var child in link)
                {
                    Collect(child, into);
                }

                into.LinkCharacters += into.Text.Length - before;
                into.Links.Add(new Link(link.Url ?? "", into.Text.ToString(before, into.Text.Length - before)));
                break;
            case EmphasisInline { DelimiterCount: 2 } strong when into.Bold is null:
                var start = into.Text.Length;
                foreach (var child in strong)
                {
                    Collect(child, into);
                }

                into.Bold = into.Text.ToString(start, into.Text.Length - start);
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Collect(child, into);
                }

                break;
        }
    }

    // A README is anyone's text: no pattern may run on it for long.
    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $@"\b{name}\s*=\s*(""([^""]*)""|'([^']*)'|([^\s>]+))", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)) is { Success: true } match
            ? match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Value
            : null;

    [GeneratedRegex(@"<img\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlImage();

    [GeneratedRegex(@"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlHeading();

    [GeneratedRegex(@"<(?:/?p|/?div|br|/?h[1-6])\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlParagraphBreak();

    [GeneratedRegex(@"<a\b[^>]*>(.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"<(strong|b)\b[^>]*>(.*?)</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlBold();
}
