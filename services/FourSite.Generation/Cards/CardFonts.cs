using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FourSite.Generation.Cards;

/// <summary>
/// The typefaces cards are drawn with: Noto Sans, shipped with the service (Latin, Cyrillic, Greek), and for every other
/// script the fonts of <see cref="SitePagesOptions.FallbackFontDirectory"/> (Debian's fonts-noto-cjk by default), each
/// character drawn with the first typeface that has it. A character no typeface has is left out rather than drawn as a box.
/// </summary>
public sealed class CardFonts : IDisposable
{
    private readonly Lazy<IReadOnlyList<SKTypeface>> _fallbacks;
    private readonly ConcurrentDictionary<(int Codepoint, bool Bold), SKTypeface?> _chosen = new();

    public CardFonts(IOptions<SitePagesOptions> options)
    {
        Regular = Embedded("NotoSans-Regular.ttf");
        Bold = Embedded("NotoSans-Bold.ttf");
        _fallbacks = new Lazy<IReadOnlyList<SKTypeface>>(() => LoadDirectory(options.Value.FallbackFontDirectory));
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>The typeface to draw <paramref name="rune"/> with, or null when none has it.</summary>
    public SKTypeface? For(Rune rune, bool bold) => _chosen.GetOrAdd((rune.Value, bold), key =>
    {
        var primary = key.Bold ? Bold : Regular;
        return Has(primary, key.Codepoint) ? primary : _fallbacks.Value.FirstOrDefault(typeface => Has(typeface, key.Codepoint));
    });

    public void Dispose()
    {
        Regular.Dispose();
        Bold.Dispose();
        if (_fallbacks.IsValueCreated)
        {
            foreach (var typeface in _fallbacks.Value)
            {
                typeface.Dispose();
            }
        }
    }

    private static bool Has(SKTypeface typeface, int codepoint)
    {
        using var font = new SKFont(typeface);
        return font.ContainsGlyph(codepoint);
    }

    private static SKTypeface Embedded(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"FourSite.Generation.Cards.Fonts.{file}")
            ?? throw new InvalidOperationException($"The card font {file} is not embedded.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The card font {file} could not be read.");
    }

    /// <summary>Every font of the directory (sorted, so the choice is stable), the regular faces of a collection first.</summary>
    private static IReadOnlyList<SKTypeface> LoadDirectory(string? directory)
    {
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path).ToLowerInvariant() is ".ttf" or ".otf" or ".ttc")
            .OrderBy(path => path.Contains("Bold", StringComparison.OrdinalIgnoreCase)).ThenBy(path => path, StringComparer.Ordinal)
            .Select(path => SKTypeface.FromFile(path))
            .OfType<SKTypeface>()
            .ToList();
    }
}
