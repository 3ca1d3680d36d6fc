using System.Text;
using FourSite.Generation.Cards;
using FourSite.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Social cards: each PNG decoded, 1200×630, every text inside its box and the card (checked by where it was drawn, not
/// by pixels); long and CJK names, emoji, SVG logos, no logo, Pro without the mark; hostile logos refused.
/// </summary>
public sealed class SocialCardTests : IDisposable
{
    private static readonly string Artefacts = Path.Combine(AppContext.BaseDirectory, "cards");
    private readonly CardFonts _fonts = new(Options.Create(new SitePagesOptions()));
    private readonly SocialCard _card;

    public SocialCardTests()
    {
        MachinePackages.Require("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "social cards of CJK names are drawn with it",
            "FourSite__Sites__FallbackFontDirectory");
        _card = new SocialCard(_fonts);
        Directory.CreateDirectory(Artefacts);
    }

    public void Dispose() => _fonts.Dispose();

    private RenderedCard Render(CardContent content, string name)
    {
        var rendered = _card.Render(content);
        File.WriteAllBytes(Path.Combine(Artefacts, $"{name}.png"), rendered.Png);
        using var decoded = SKBitmap.Decode(rendered.Png);
        Assert.Equal((1200, 630), (decoded.Width, decoded.Height));
        var card = SKRect.Create(0, 0, SocialCard.Width, SocialCard.Height);
        foreach (var text in rendered.Texts.Where(text => text.Lines.Count > 0))
        {
            // Within half a pixel: the box and the lines' extents add the same lengths in different orders.
            var box = text.Box;
            box.Inflate(0.5f, 0.5f);
            Assert.True(box.Contains(text.Bounds), $"{text.Name} drawn at {text.Bounds} outside its box {text.Box}");
            Assert.True(card.Contains(text.Bounds), $"{text.Name} drawn at {text.Bounds} outside the card");
        }

        return rendered;
    }

    private static CardTextBox Text(RenderedCard card, string name) => card.Texts.Single(text => text.Name == name);

    [Fact]
    public void A_long_cjk_name_is_drawn_in_cjk_glyphs_in_two_lines_at_most_and_shortened()
    {
        var name = string.Concat(Enumerable.Repeat("分散型リアルタイム協調編集エンジン", 6));

        var card = Render(new CardContent(name, "高速で安全なオープンソースの共同編集", "octo/kyodo", "Rust", 12_345, ShowMark: true), "cjk-name");

        var title = Text(card, "title");
        Assert.Equal(2, title.Lines.Count);
        Assert.EndsWith("…", title.Lines[^1], StringComparison.Ordinal);
        Assert.Contains('分', title.Lines[0]);
        Assert.Contains('高', string.Concat(Text(card, "tagline").Lines));
        Assert.Equal(["Rust · ★ 12k"], Text(card, "facts").Lines);
    }

    [Fact]
    public void Without_a_font_for_its_script_a_name_is_shown_by_its_repository_rather_than_blank()
    {
        using var latinOnly = new CardFonts(Options.Create(new SitePagesOptions { FallbackFontDirectory = null }));

        var card = new SocialCard(latinOnly).Render(new CardContent("協調編集", "共同編集 for teams", "octo/kyodo", "Rust", 1, ShowMark: true));

        Assert.Equal(["kyodo"], card.Texts.Single(text => text.Name == "title").Lines);
        Assert.Equal(["for teams"], card.Texts.Single(text => text.Name == "tagline").Lines);
    }

    [Fact]
    public void An_emoji_laden_tagline_keeps_its_words_and_stays_in_bounds()
    {
        var card = Render(new CardContent("Rocket", "🚀 Blazing fast ✨ builds 🔥 for every 🦀 Rust and 🐍 Python project, with caching ⚡ and remote execution 🌍 across your whole fleet of machines, forever 💯",
            "octo/rocket", "Rust", 9, ShowMark: true), "emoji-tagline");

        var tagline = string.Join(' ', Text(card, "tagline").Lines);
        Assert.Contains("Blazing fast", tagline, StringComparison.Ordinal);
        Assert.InRange(Text(card, "tagline").Lines.Count, 1, 3);
    }

    [Fact]
    public void A_readme_svg_logo_is_drawn_beside_the_name()
    {
        var svg = Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#f59e0b"/></svg>""");

        var card = Render(new CardContent("Kite", "Ship releases everywhere in one command", "octo/kite", "Python", 52_300, ShowMark: true, svg), "svg-logo");

        Assert.True(card.LogoDrawn);
        Assert.True(Text(card, "title").Box.Right <= SocialCard.Width - 72 - 176, "the title leaves room for the logo");
        using var decoded = SKBitmap.Decode(card.Png);
        Assert.Equal(new SKColor(0xf5, 0x9e, 0x0b), decoded.GetPixel(SocialCard.Width - 72 - 88, 72 + 88));
    }

    [Fact]
    public void Without_a_logo_the_name_takes_the_whole_width()
    {
        var card = Render(new CardContent("Kite", "Ship releases everywhere", "octo/kite", null, 3, ShowMark: true), "no-logo");

        Assert.False(card.LogoDrawn);
        Assert.Equal(SocialCard.Width - 72, Text(card, "title").Box.Right);
        Assert.Equal(["★ 3"], Text(card, "facts").Lines);
        Assert.Equal(["4site.pro"], Text(card, "mark").Lines);
    }

    [Fact]
    public void A_pro_card_has_no_foursite_mark()
    {
        var card = Render(new CardContent("Kite", "Ship releases everywhere", "octo/kite", "Python", 52_300, ShowMark: false), "pro");

        Assert.DoesNotContain(card.Texts, text => text.Name == "mark");
    }

    [Theory]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://169.254.169.254/latest/meta-data/" width="10" height="10"/></svg>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>""")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.org/x.css);</style></svg>""")]
    [InlineData("not an image at all")]
    public void A_logo_that_reaches_elsewhere_or_is_not_an_image_is_not_drawn(string logo)
    {
        var card = Render(new CardContent("Kite", "Ship releases", "octo/kite", null, 1, ShowMark: true, Encoding.UTF8.GetBytes(logo)), "hostile-logo");

        Assert.False(card.LogoDrawn);
    }

    [Fact]
    public async Task Logos_are_fetched_only_as_images_of_bounded_size_and_never_from_a_private_address()
    {
        using var server = WireMockServer.Start();
        var png = _card.Render(new CardContent("x", "y", "o/n", null, 0, ShowMark: false)).Png;
        server.Given(Request.Create().WithPath("/logo.png")).RespondWith(Response.Create().WithHeader("Content-Type", "image/png").WithBody(png));
        server.Given(Request.Create().WithPath("/page.html")).RespondWith(Response.Create().WithHeader("Content-Type", "text/html").WithBody("<html></html>"));
        server.Given(Request.Create().WithPath("/huge.png")).RespondWith(Response.Create().WithHeader("Content-Type", "image/png").WithBody(new byte[50 * 1024 * 1024]));
        using var loopback = new LogoFetcher(Options.Create(new SitePagesOptions { ImagesAllowLoopback = true }), NullLogger<LogoFetcher>.Instance);
        using var production = new LogoFetcher(Options.Create(new SitePagesOptions()), NullLogger<LogoFetcher>.Instance);
        var local = server.Url!.Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        Assert.Equal(png, await loopback.FetchAsync($"{local}/logo.png", CancellationToken.None));
        Assert.Null(await loopback.FetchAsync($"{local}/page.html", CancellationToken.None));
        Assert.Null(await loopback.FetchAsync($"{local}/huge.png", CancellationToken.None));
        Assert.Null(await production.FetchAsync($"{local}/logo.png", CancellationToken.None));
        Assert.Null(await production.FetchAsync("https://10.1.2.3/logo.png", CancellationToken.None));
        Assert.Null(await production.FetchAsync("https://169.254.169.254/latest/meta-data/", CancellationToken.None));
        Assert.Null(await production.FetchAsync("file:///etc/passwd", CancellationToken.None));
    }
}
