using FourSite.Generation.Writers;
using SkiaSharp;

namespace FourSite.Generation.Cards;

/// <summary>What a card shows: a site's (its repository, language and stars), or a platform page's (no stars).</summary>
public sealed record CardContent(string Title, string Tagline, string Repository, string? Language, int? Stars, bool ShowMark, byte[]? Logo = null);

/// <summary>A text of the card, where it was drawn (its ink's extent from ascent to descent) and within which box.</summary>
public sealed record CardTextBox(string Name, IReadOnlyList<string> Lines, SKRect Bounds, SKRect Box);

/// <summary>A rendered card: the PNG, and where each text went (so its fit can be checked without reading pixels).</summary>
public sealed record RenderedCard(byte[] Png, IReadOnlyList<CardTextBox> Texts, bool LogoDrawn);

/// <summary>
/// A site's social card, 1200×630 as X, LinkedIn, Slack and Discord show them: the repository, the project's name in
/// at most two lines, its tagline in at most three, its language and stars, its logo when it has one, and the FourSite
/// mark unless the site is Pro. Text that does not fit is shortened with "…", never drawn outside its box.
/// </summary>
public sealed class SocialCard(CardFonts fonts)
{
    public const int Width = 1200;
    public const int Height = 630;
    private const float Margin = 72;
    private const float LogoSize = 176;

    private static readonly SKColor Background = new(0x0f, 0x17, 0x2a);
    private static readonly SKColor BackgroundEnd = new(0x1e, 0x29, 0x3b);
    private static readonly SKColor Accent = new(0x63, 0x66, 0xf1);
    private static readonly SKColor Text = new(0xf8, 0xfa, 0xfc);
    private static readonly SKColor Muted = new(0x94, 0xa3, 0xb8);

    public RenderedCard Render(CardContent content)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        using var text = new CardText(fonts);
        using (var background = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height), [Background, BackgroundEnd], SKShaderTileMode.Clamp) })
        {
            canvas.DrawRect(0, 0, Width, Height, background);
        }

        using (var accent = new SKPaint { Color = Accent })
        {
            canvas.DrawRect(0, 0, Width, 12, accent);
        }

        using var logo = content.Logo is { } bytes ? CardLogo.Decode(bytes) : null;
        var textRight = Width - Margin - (logo is null ? 0 : LogoSize + 40);
        logo?.Draw(canvas, SKRect.Create(Width - Margin - LogoSize, Margin, LogoSize, LogoSize));

        var boxes = new List<CardTextBox>();
        using var strong = new SKPaint { Color = Text, IsAntialias = true };
        using var muted = new SKPaint { Color = Muted, IsAntialias = true };
        var y = Margin;
        y = Block(canvas, text, boxes, "repository", content.Repository, bold: false, size: 30, muted, Margin, y, textRight - Margin, maxLines: 1) + 12;
        // A name in a script none of the fonts has is shown by its repository's name rather than left blank.
        var title = text.CanDraw(content.Title, bold: true) ? content.Title : content.Repository.Split('/')[^1];
        y = Block(canvas, text, boxes, "title", title, bold: true, size: 68, strong, Margin, y, textRight - Margin, maxLines: 2) + 16;
        Block(canvas, text, boxes, "tagline", content.Tagline, bold: false, size: 34, muted, Margin, logo is null ? y : Math.Max(y, Margin + LogoSize + 16), Width - 2 * Margin, maxLines: 3);

        // The footer: language and stars on the left, the FourSite mark on the right.
        var markWidth = content.ShowMark ? text.Measure("4site.pro", bold: true, size: 32) : 0;
        if (content.ShowMark)
        {
            using var mark = new SKPaint { Color = Accent, IsAntialias = true };
            Block(canvas, text, boxes, "mark", "4site.pro", bold: true, size: 32, mark, Width - Margin - markWidth, Height - Margin - 44, markWidth + 1, maxLines: 1);
        }

        var facts = string.Join(" · ", new[] { content.Language, content.Stars is { } stars ? $"★ {CompactNumber.Format(stars)}" : null }.Where(fact => !string.IsNullOrWhiteSpace(fact)));
        Block(canvas, text, boxes, "facts", facts, bold: false, size: 30, muted, Margin, Height - Margin - 44, Width - 2 * Margin - markWidth - 40, maxLines: 1);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return new RenderedCard(png.ToArray(), boxes, logo is not null);
    }

    /// <summary>
    /// Draws a text wrapped into a box from <paramref name="top"/>, as tall as <paramref name="maxLines"/> lines of it;
    /// returns the bottom of what it drew (the top when nothing was).
    /// </summary>
    private float Block(SKCanvas canvas, CardText text, List<CardTextBox> boxes, string name, string value, bool bold, float size, SKPaint paint,
        float left, float top, float width, int maxLines)
    {
        using var font = new SKFont(bold ? fonts.Bold : fonts.Regular, size);
        var (ascent, descent) = (-font.Metrics.Ascent, font.Metrics.Descent);
        var lineHeight = size * 1.25f;
        var box = SKRect.Create(left, top, width, ascent + descent + lineHeight * (maxLines - 1));
        var lines = text.Wrap(value, bold, size, width, maxLines);
        var bounds = SKRect.Empty;
        var baseline = top + ascent;
        foreach (var line in lines)
        {
            var drawn = text.Draw(canvas, line, left, baseline, bold, size, paint);
            var extent = new SKRect(left, baseline - ascent, left + drawn, baseline + descent);
            bounds = bounds.IsEmpty ? extent : SKRect.Union(bounds, extent);
            baseline += lineHeight;
        }

        boxes.Add(new CardTextBox(name, lines, bounds, box));
        return lines.Count == 0 ? top : bounds.Bottom;
    }
}
