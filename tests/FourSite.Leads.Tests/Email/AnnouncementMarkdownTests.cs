using FourSite.Leads.Announcements;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>Announcement Markdown as email: no script, no event handler, https links and images only, and a plain-text alternative.</summary>
public sealed class AnnouncementMarkdownTests
{
    [Fact]
    public void Raw_html_is_shown_as_text_and_only_https_links_and_images_survive()
    {
        var rendered = AnnouncementMarkdown.Render("""
            # Kite 2.0
            <script>alert(1)</script> <img src=x onerror="alert(2)">
            [safe](https://kite.example/docs) [plain](http://kite.example) [js](javascript:alert(3)) [mail](mailto:a@b.c)
            ![logo](https://kite.example/logo.png) ![tracker](http://evil.example/pixel.gif)
            <https://kite.example/auto>
            """);

        Assert.Contains("<h1", rendered.Html);
        Assert.DoesNotContain("<script", rendered.Html);
        Assert.DoesNotContain("<img src=x", rendered.Html);
        Assert.Contains("&lt;script&gt;", rendered.Html);
        Assert.Contains("href=\"https://kite.example/docs\"", rendered.Html);
        Assert.Contains("src=\"https://kite.example/logo.png\"", rendered.Html);
        Assert.Contains("href=\"https://kite.example/auto\"", rendered.Html);
        Assert.DoesNotContain("http://kite.example\"", rendered.Html);
        Assert.DoesNotContain("javascript:", rendered.Html);
        Assert.DoesNotContain("mailto:", rendered.Html);
        Assert.DoesNotContain("evil.example", rendered.Html);
        Assert.Contains(" plain ", rendered.Html);
        Assert.Contains("Kite 2.0", rendered.Text);
        Assert.Contains("https://kite.example/docs", rendered.Text);
    }
}
