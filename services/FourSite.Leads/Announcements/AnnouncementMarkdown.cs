using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FourSite.Leads.Announcements;

/// <summary>
/// An announcement's Markdown as email HTML and plain text. Raw HTML is shown as text (so no script, style or event
/// handler survives), and only https links and images are kept: any other link becomes its text, any other image goes.
/// </summary>
public static class AnnouncementMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    public static RenderedMarkdown Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var links = new List<string>();
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (IsHttps(link.Url))
            {
                if (!link.IsImage)
                {
                    links.Add(link.Url!);
                }

                continue;
            }

            Unwrap(link, keepText: !link.IsImage);
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList().Where(autolink => autolink.IsEmail || !IsHttps(autolink.Url)))
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();

        var text = Markdown.ToPlainText(markdown, Pipeline).Trim();
        if (links.Count > 0)
        {
            text += "\n\n" + string.Join("\n", links.Distinct().Select((url, index) => $"[{index + 1}] {url}"));
        }

        return new RenderedMarkdown(writer.ToString(), text);
    }

    private static bool IsHttps(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host);

    /// <summary>Replaces a link by its content (its text), or removes it (an image).</summary>
    private static void Unwrap(LinkInline link, bool keepText)
    {
        if (keepText)
        {
            var children = link.ToList();
            foreach (var child in children)
            {
                child.Remove();
                link.InsertBefore(child);
            }
        }

        link.Remove();
    }
}

/// <summary>Safe HTML, and the plain-text alternative with the links listed under it.</summary>
public sealed record RenderedMarkdown(string Html, string Text);
