using System.Text.RegularExpressions;
using FourSite.Generation.GitHub;
using static FourSite.Generation.Writers.Readme.ReadmeBlocks;

namespace FourSite.Generation.Writers.Readme;

/// <summary>
/// Reads the facts a launch page needs from a README, faithfully: nothing is invented, everything is what the README
/// (or, for the name, GitHub) says. Pure: the same README always gives the same facts.
/// </summary>
public static partial class ReadmeReader
{
    public const int MaxFeatures = 6;
    public const int MaxQuickStartLines = 25;

    /// <summary>Fewer features than this from the sections a README opens with, and its capability sections further on are read too.</summary>
    private const int EnoughFeatures = 3;

    private static readonly string[] FeatureHeadings = ["feature", "highlight", "why ", "what it does", "capabilities", "benefits", "特性", "功能", "機能", "특징"];
    private static readonly string[] UsageHeadings = ["usage", "quick start", "quickstart", "example", "getting started", "get started", "tutorial", "how to use", "basic use", "hello world", "use"];

    public static ReadmeFacts Read(RepositorySnapshot repository)
    {
        if (string.IsNullOrWhiteSpace(repository.Readme))
        {
            return ReadmeFacts.None with { Name = repository.Name };
        }

        var parts = ReadmeBlocks.Read(repository.Readme);
        var description = Description(parts);
        return new ReadmeFacts(
            Name(parts, repository.Name),
            Headline(parts, description),
            description?.Text,
            Features(parts),
            InstallCommand(parts, repository.Language),
            QuickStart(parts),
            HeroImage(parts, description, repository),
            DocsUrl(parts));
    }

    /// <summary>
    /// The project's name as the README writes it: its first heading, its logo's alt text or its first bold mention,
    /// whichever spells the repository's name (FastAPI for fastapi); else a short first heading; else the repository's
    /// name exactly as GitHub spells it.
    /// </summary>
    private static string Name(IReadOnlyList<Part> parts, string repositoryName)
    {
        var key = Letters(repositoryName);
        var headings = parts.OfType<Heading>().Select(heading => heading.Text).Take(3);
        var alts = parts.OfType<Prose>().Take(8).SelectMany(prose => prose.Images).Select(image => image.Alt).Take(3);
        var bold = parts.OfType<Prose>().Take(10).Select(prose => prose.Bold).OfType<string>();
        var candidates = headings.Concat(alts).Concat(bold).SelectMany(Shortened).Where(candidate => candidate.Length is > 0 and <= 60).ToList();
        if (candidates.FirstOrDefault(candidate => Letters(candidate) == key) is { } spelled)
        {
            return spelled;
        }

        return parts.OfType<Heading>().FirstOrDefault() is { Level: 1, Text: { Length: > 0 and <= 40 } title } && !title.Contains("http", StringComparison.OrdinalIgnoreCase)
            && !title.EndsWith('.')
            ? title
            : repositoryName;
    }

    /// <summary>A candidate as written, then its part before a dash, colon or bracket ("bat - a cat clone" gives "bat").</summary>
    private static IEnumerable<string> Shortened(string candidate)
    {
        var trimmed = candidate.Trim();
        yield return trimmed;
        if (NameSeparator().Match(trimmed) is { Success: true } separator && separator.Index > 0)
        {
            yield return trimmed[..separator.Index].Trim();
        }

        // "Excalidraw logo", "Gin Web Framework": the name is the first word.
        if (trimmed.Split(' ', 2) is [var first, _])
        {
            yield return first.Trim('#', '*', '_');
        }
    }

    private static string Letters(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The first real prose: a sentence or more of words, not badges, links, a language switcher or a "Documentation: …" list.</summary>
    private static Prose? Description(IReadOnlyList<Part> parts) =>
        parts.OfType<Prose>().FirstOrDefault(prose => !prose.InList && IsProse(prose.Text, prose.LinkShare) && !IsBoilerplate(prose.Section)
            && !Argument().IsMatch(prose.Section) && EndsASentence(prose.Text));

    private static bool IsProse(string text, double linkShare) =>
        (text.Length >= 30 && Words(text) >= 6 || Ideographs(text) >= 10) && linkShare < 0.5 && !text.Contains("://", StringComparison.Ordinal) && !LabelledLink().IsMatch(text);

    /// <summary>Chinese and Japanese prose has no spaces between words: its characters count instead.</summary>
    private static int Ideographs(string text) => text.Count(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff');

    private static bool EndsASentence(string text) => SentenceEnd().IsMatch(text);

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(word => word.Any(char.IsLetter));

    /// <summary>A short line introducing the project before its description (FastAPI's "framework, high performance, …").</summary>
    private static string? Headline(IReadOnlyList<Part> parts, Prose? description)
    {
        foreach (var prose in parts.OfType<Prose>())
        {
            if (prose == description)
            {
                break;
            }

            if (!prose.InList && prose.Text.Length is >= 15 and <= 160 && Words(prose.Text) >= 3 && prose.LinkShare < 0.3 && !prose.Text.Contains("://", StringComparison.Ordinal)
                && char.IsLetterOrDigit(prose.Text[0]))
            {
                return prose.Text;
            }
        }

        return null;
    }

    /// <summary>
    /// Features, in this order of trust: the list (or the subsections) under a features heading; the first list of three
    /// or more plain statements before the README turns to installation, usage and the like; the sections it opens with
    /// (a title and the first sentence under it), then, when those are too few, its capability sections further on (a
    /// heading such as "The CLI", "Plugins" or "Live reload" with prose under it). Never from headings such as usage,
    /// installation or licence, nor from anything under them.
    /// </summary>
    private static List<string> Features(IReadOnlyList<Part> parts)
    {
        var intro = Intro(parts);
        var candidates = FeatureSection(parts) ?? FirstList(intro) ?? CapabilitySections(parts, intro);
        return candidates.Select(CleanFeature).Where(feature => feature.Length is >= 3 and <= 200)
            .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxFeatures).ToList();
    }

    /// <summary>What the README says before it turns to installing, using, licensing and the like: where a project presents itself.</summary>
    private static IReadOnlyList<Part> Intro(IReadOnlyList<Part> parts)
    {
        var end = parts.ToList().FindIndex(part => part is Heading heading && IsBoilerplate(heading.Text));
        return end < 0 ? parts : parts.Take(end).ToList();
    }

    private static List<string>? FeatureSection(IReadOnlyList<Part> parts)
    {
        var heading = parts.OfType<Heading>().FirstOrDefault(heading => FeatureHeadings.Any(word => $"{heading.Text} ".Contains(word, StringComparison.OrdinalIgnoreCase)));
        if (heading is null)
        {
            return null;
        }

        var under = parts.SkipWhile(part => part != heading).Skip(1).TakeWhile(part => part is not Heading next || next.Level > heading.Level).ToList();
        var bullets = under.OfType<Prose>().Where(prose => prose.InList && prose.LinkShare < 0.9).Select(prose => prose.Text).ToList();
        return bullets.Count > 0 ? bullets : OpeningSections(under) is { Count: > 0 } sections ? sections : null;
    }

    private static List<string>? FirstList(IReadOnlyList<Part> parts) =>
        parts.OfType<Prose>()
            .Where(prose => prose.InList && !IsBoilerplate(prose.Section) && prose.LinkShare < 0.5 && Words(prose.Text) >= 2)
            .GroupBy(prose => prose.Section)
            .FirstOrDefault(group => group.Count() >= 3)?.Select(prose => prose.Text).ToList();

    /// <summary>The sections the README opens with; when they make too few features, its capability sections after them.</summary>
    private static List<string> CapabilitySections(IReadOnlyList<Part> parts, IReadOnlyList<Part> intro)
    {
        var opening = OpeningSections(intro);
        return opening.Count >= EnoughFeatures ? opening : [.. opening, .. OpeningSections(parts.Skip(intro.Count).ToList(), withProseOnly: true)];
    }

    /// <summary>
    /// Sections as features: "Syntax highlighting: bat supports syntax highlighting for … languages". With
    /// <paramref name="withProseOnly"/> (sections after the README's introduction, top-level ones included), only sections
    /// that say something in a sentence count, and nothing under a heading about installing, building and the like (its
    /// "macOS" or "From source" subsections included).
    /// </summary>
    private static List<string> OpeningSections(IReadOnlyList<Part> parts, bool withProseOnly = false)
    {
        var features = new List<string>();
        int? skippedLevel = null;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not Heading heading || heading.Level < (withProseOnly ? 1 : 2))
            {
                continue;
            }

            if (skippedLevel is { } level && heading.Level > level)
            {
                continue;
            }

            skippedLevel = null;
            if (IsBoilerplate(heading.Text) || Argument().IsMatch(heading.Text) && withProseOnly)
            {
                skippedLevel = withProseOnly && InstallSection().IsMatch(heading.Text) ? heading.Level : null;
                continue;
            }

            if (heading.Text.Length > 60 || heading.Text.EndsWith('?') || Presentation().IsMatch(heading.Text))
            {
                continue;
            }

            var sentence = parts.Skip(i + 1).TakeWhile(part => part is not Heading).OfType<Prose>()
                .FirstOrDefault(prose => !prose.InList && Words(prose.Text) >= 4 && prose.LinkShare < 0.5)?.Text;
            if (sentence is null && withProseOnly)
            {
                continue;
            }

            features.Add(sentence is null ? heading.Text : $"{heading.Text}: {CleanFeature(sentence)}");
        }

        return features;
    }

    /// <summary>A feature as one short sentence: footnote marks, emoji shortcodes and leftover link syntax removed.</summary>
    public static string CleanFeature(string text)
    {
        var cleaned = PlainText.WithoutEmojiShortcodes(text);
        cleaned = FootnoteMark().Replace(cleaned, "");
        cleaned = LinkSyntax().Replace(cleaned, "$1");
        cleaned = Whitespace().Replace(cleaned, " ").Trim(' ', '-', '–', '—', '•', ':', ';');
        var end = SentenceEnd().Match(cleaned);
        return (end.Success ? cleaned[..(end.Index + 1)] : cleaned).Trim();
    }

    /// <summary>Headings about everything but what the project does: installing, using, licensing, contributing, and so on.</summary>
    private static bool IsBoilerplate(string heading) => heading.Length > 0 && NotFeatures().IsMatch(heading);

    /// <summary>The install command of the project's own ecosystem when the README gives several (cargo for Rust), else the first it gives.</summary>
    private static string? InstallCommand(IReadOnlyList<Part> parts, string? language)
    {
        var commands = parts.OfType<Code>()
            .SelectMany(code => code.Text.Split('\n'))
            .Select(InstallCommands.Recognise)
            .OfType<(string Command, string Ecosystem)>()
            .ToList();
        var preferred = InstallCommands.EcosystemOf(language);
        return (commands.FirstOrDefault(command => command.Ecosystem == preferred) is { Command: not null } own ? own : commands.FirstOrDefault()).Command;
    }

    /// <summary>The first short example under a usage, quick start or example heading; else the first short code block that installs nothing (and is not plain text).</summary>
    private static CodeSample? QuickStart(IReadOnlyList<Part> parts)
    {
        var examples = parts.OfType<Code>()
            .Where(code => code.Text.Trim().Length > 0 && code.Text.Split('\n').Length <= MaxQuickStartLines && !InstallSection().IsMatch(code.Section)
                && !IsAddress(code.Text) && !IsPlainText(code.Language)
                && !code.Text.Split('\n').Where(line => line.Trim().Length > 0 && !IsComment(line)).All(line => InstallCommands.Recognise(line) is not null))
            .ToList();
        var chosen = examples.FirstOrDefault(code => UsageHeadings.Any(word => $"{code.Section} ".Contains(word, StringComparison.OrdinalIgnoreCase)))
            ?? examples.FirstOrDefault();
        return chosen is null ? null : new CodeSample(chosen.Language, chosen.Text);
    }

    /// <summary>A block fenced as plain text holds a diagram or some output, not code to try.</summary>
    private static bool IsPlainText(string? language) => language?.ToLowerInvariant() is "text" or "txt" or "plain" or "plaintext";

    /// <summary>A block holding only an address (a link to try the project) is no example.</summary>
    private static bool IsAddress(string code) => code.Trim() is var text && text.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !text.Any(char.IsWhiteSpace);

    private static bool IsComment(string line) => line.TrimStart() is var trimmed && (trimmed.StartsWith('#') || trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("REM ", StringComparison.OrdinalIgnoreCase));

    /// <summary>The first picture that is not a badge, as an https address (a path in the repository resolved against its raw files).</summary>
    /// <summary>
    /// The README's picture: its first that is not a badge — unless the pictures above its description (its header)
    /// include the project's own (its alt text or file name names the project), which then wins over a foundation's or
    /// sponsor's logo placed first.
    /// </summary>
    private static ReadmeImage? HeroImage(IReadOnlyList<Part> parts, Prose? description, RepositorySnapshot repository)
    {
        var key = Letters(repository.Name);
        var header = description is null ? parts : parts.TakeWhile(part => part != description).ToList();
        var own = key.Length > 1
            ? Pictures(header, repository).FirstOrDefault(picture => Letters(picture.Alt).Contains(key, StringComparison.Ordinal)
                || Letters(FileNameOf(picture.Url)).Contains(key, StringComparison.Ordinal))
            : null;
        return own ?? Pictures(parts, repository).FirstOrDefault();
    }

    /// <summary>The pictures of <paramref name="parts"/> that are not badges, at their https addresses, in order.</summary>
    private static IEnumerable<ReadmeImage> Pictures(IEnumerable<Part> parts, RepositorySnapshot repository) =>
        parts.SelectMany(part => part switch { Prose prose => prose.Images, Heading heading => heading.Images, _ => [] })
            .Where(image => !IsBadge(image.Url))
            .Select(image => Resolve(image.Url, repository) is { } url ? new ReadmeImage(url, image.Alt) : null)
            .OfType<ReadmeImage>();

    private static string FileNameOf(string url) => Path.GetFileNameWithoutExtension(new Uri(url).AbsolutePath);

    public static bool IsBadge(string url) =>
        BadgeHost().IsMatch(url) || BadgeWord().IsMatch(url);

    /// <summary>An https address for an image: absolute https as is, a repository path against its raw files; anything else, none.</summary>
    public static string? Resolve(string url, RepositorySnapshot repository)
    {
        if (url.Length is 0 or > 500)
        {
            return null;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute))
        {
            if (absolute.Scheme != Uri.UriSchemeHttps)
            {
                return null;
            }

            // github.com/owner/repo/blob/… pictures are pages; their raw files are the picture.
            return absolute.Host == "github.com" && absolute.AbsolutePath.Contains("/blob/", StringComparison.Ordinal)
                ? $"https://raw.githubusercontent.com{absolute.AbsolutePath.Replace("/blob/", "/", StringComparison.Ordinal)}"
                : absolute.AbsoluteUri;
        }

        if (url.StartsWith("//", StringComparison.Ordinal) || url.Contains(':', StringComparison.Ordinal) || url.StartsWith('#'))
        {
            return null;
        }

        var path = url.TrimStart('.', '/');
        return PlainText.SafeUrl($"https://raw.githubusercontent.com/{Uri.EscapeDataString(repository.Owner)}/{Uri.EscapeDataString(repository.Name)}/HEAD/{path}");
    }

    /// <summary>The documentation's address: a link named like documentation, or the link of a "Documentation: …" line.</summary>
    private static string? DocsUrl(IReadOnlyList<Part> parts) =>
        parts.OfType<Prose>()
            .SelectMany(prose => DocsLink().IsMatch(prose.Text) ? prose.Links.Take(1) : prose.Links.Where(link => DocsLink().IsMatch(link.Text)))
            .Where(link => link.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            .Select(link => PlainText.SafeUrl(link.Url))
            .FirstOrDefault(url => url is not null);

    [GeneratedRegex(@"\b(install|usage|how to use|use\b|from source|platform|ubuntu|debian|windows|macos|mac os|linux|arch\b|fedora|homebrew|brew\b|licen|contribut|sponsor|backer|faq|table of contents|contents\b|toc\b|credit|acknowledg|author|maintainer|changelog|support|donat|build|develop|test|requirement|prerequisite|documentation|docs\b|reference|citation|getting started|get started|quick ?start|example|tutorial|setup|set up|configur|release|community|security|project status|translation|related|alternative|see also|compil|download|binar|package|migrat|upgrad|roadmap|benchmark|performance|legal|code of conduct|thank|history|news|blog|resources|who uses|users|try it|demo\b|online)|安装|使用|兼容|贡献|开发|赞助|许可|协议|文档|链接|社区|支持|インストール|使い方", RegexOptions.IgnoreCase)]
    private static partial Regex NotFeatures();

    /// <summary>Sections that argue for the project (comparing it with others) rather than say what it is.</summary>
    [GeneratedRegex(@"\b(why|motivation|background|history|comparison|compared|vs\b|versus|alternatives?)", RegexOptions.IgnoreCase)]
    private static partial Regex Argument();

    /// <summary>Sections that present the project as a whole: not one of its features.</summary>
    [GeneratedRegex(@"^\W*(description|introduction|intro|overview|about|philosophy|summary|what is)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Presentation();

    [GeneratedRegex(@"\s*[:|]\s+|\s+[-–—]\s+|\s*\(")]
    private static partial Regex NameSeparator();

    [GeneratedRegex(@"[.!?。！？](\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^\W*[\p{L} ]{1,30}:\s*$|^\W*(documentation|docs|source code|website|homepage)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex LabelledLink();

    [GeneratedRegex(@"(\s\*+|\[\^[^\]]*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?=\s|$|[.,;])")]
    private static partial Regex FootnoteMark();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkSyntax();

    [GeneratedRegex(@"(shields\.io|badgen\.net|badge\.fury\.io|travis-ci\.|circleci\.com|codecov\.io|coveralls\.io|appveyor\.com|goreportcard\.com|/workflows/|/actions/workflows|pkg\.go\.dev/badge|godoc\.org|docs\.rs/|deps\.rs|snyk\.io|gitter\.im|opencollective\.com|discordapp\.com/api|img\.youtube|app\.fossa|bestpractices|sonarcloud|codacy|api\.netlify|vercel\.com/button|ci\.appveyor|dev\.azure\.com|_apis/build|/build/status|buildstatus|travis\.org|github\.com/[^/]+/[^/]+/actions)", RegexOptions.IgnoreCase)]
    private static partial Regex BadgeHost();

    [GeneratedRegex(@"^\s*(documentation|docs|user guide|the guide|read the docs)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DocsLink();

    [GeneratedRegex(@"install|download|build|compil|from source|binar|packag|platform|ubuntu|debian|linux|macos|windows|homebrew|requirement|prerequisite|develop|contribut|test|licen|copyright", RegexOptions.IgnoreCase)]
    private static partial Regex InstallSection();

    [GeneratedRegex(@"badge|button|btn\b|btn[._-]|sponsor|backers?\b|/donate", RegexOptions.IgnoreCase)]
    private static partial Regex BadgeWord();
}
