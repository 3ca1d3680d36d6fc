using SkiaSharp;
using Svg.Skia;

namespace FourSite.Generation.Cards;

/// <summary>A project's logo as a card draws it: a raster image (PNG, JPEG, GIF, WebP) or an SVG drawing.</summary>
public sealed class CardLogo : IDisposable
{
    private readonly SKImage? _image;
    private readonly SKSvg? _svg;

    private CardLogo(SKImage? image, SKSvg? svg) => (_image, _svg) = (image, svg);

    /// <summary>The logo in <paramref name="content"/>, or null when it is not an image Skia can draw.</summary>
    public static CardLogo? Decode(byte[] content)
    {
        if (LooksLikeSvg(content))
        {
            if (!IsSelfContained(content))
            {
                return null;
            }

            var svg = new SKSvg();
            try
            {
                using var stream = new MemoryStream(content, writable: false);
                if (svg.Load(stream) is { } picture && picture.CullRect.Width > 0 && picture.CullRect.Height > 0)
                {
                    return new CardLogo(null, svg);
                }
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.Xml.XmlException or ArgumentException or FormatException or NotSupportedException)
            {
                // Not a drawing Svg.Skia understands: no logo rather than a broken one.
            }

            svg.Dispose();
            return null;
        }

        var image = SKImage.FromEncodedData(content);
        return image is null ? null : new CardLogo(image, null);
    }

    /// <summary>Draws the logo as large as fits in <paramref name="box"/>, centred, its proportions kept.</summary>
    public void Draw(SKCanvas canvas, SKRect box)
    {
        var (width, height) = _image is not null ? ((float)_image.Width, (float)_image.Height) : (_svg!.Picture!.CullRect.Width, _svg.Picture.CullRect.Height);
        var scale = Math.Min(box.Width / width, box.Height / height);
        var target = SKRect.Create(box.MidX - width * scale / 2, box.MidY - height * scale / 2, width * scale, height * scale);
        if (_image is not null)
        {
            canvas.DrawImage(_image, target, new SKSamplingOptions(SKCubicResampler.Mitchell));
            return;
        }

        var picture = _svg!.Picture!;
        var matrix = SKMatrix.CreateScale(scale, scale).PostConcat(SKMatrix.CreateTranslation(target.Left - picture.CullRect.Left * scale, target.Top - picture.CullRect.Top * scale));
        canvas.Save();
        canvas.ClipRect(target);
        canvas.DrawPicture(picture, in matrix);
        canvas.Restore();
    }

    public void Dispose()
    {
        _image?.Dispose();
        _svg?.Dispose();
    }

    /// <summary>
    /// An SVG drawn on the server may not reach anywhere: no DTD (entities can read files), no reference to anything
    /// outside the document (images, fonts or styles by URL).
    /// </summary>
    private static bool IsSelfContained(byte[] content)
    {
        var text = System.Text.Encoding.UTF8.GetString(content);
        try
        {
            return !System.Text.RegularExpressions.Regex.IsMatch(text, @"<!DOCTYPE|<!ENTITY|(href|src)\s*=\s*[""']\s*(?!#|data:image/(png|jpeg|gif|webp);)|url\(\s*[""']?\s*(?!#)|@import",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool LooksLikeSvg(byte[] content)
    {
        var head = System.Text.Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<svg", StringComparison.OrdinalIgnoreCase)
            || (head.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && head.Contains("<svg", StringComparison.OrdinalIgnoreCase));
    }
}
