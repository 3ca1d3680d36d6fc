using System.Globalization;
using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace FourSite.Generation.Cards;

/// <summary>
/// Text on one card: shaped with HarfBuzz, each character in the first typeface that has it, wrapped at spaces (and
/// between any two CJK characters) into at most so many lines, and shortened with "…" where it does not fit. One
/// instance per card: its shapers are not shared between threads.
/// </summary>
public sealed class CardText(CardFonts fonts) : IDisposable
{
    private const string Ellipsis = "…";
    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];

    /// <summary>The lines <paramref name="text"/> takes in <paramref name="width"/>, at most <paramref name="maxLines"/>, the last shortened if need be.</summary>
    public IReadOnlyList<string> Wrap(string text, bool bold, float size, float width, int maxLines)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var token in Tokens(Drawable(text, bold)))
        {
            var candidate = line.Length == 0 ? token.TrimStart() : line + token;
            if (Measure(candidate, bold, size) <= width)
            {
                line.Clear().Append(candidate);
                continue;
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear();
            }

            // A word longer than the line is cut where it no longer fits.
            var rest = token.TrimStart();
            while (rest.Length > 0 && Measure(rest, bold, size) > width)
            {
                var fits = Fitting(rest, bold, size, width);
                lines.Add(rest[..fits]);
                rest = rest[fits..];
            }

            line.Append(rest);
        }

        if (line.ToString().Trim().Length > 0)
        {
            lines.Add(line.ToString().TrimEnd());
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Shorten(kept[^1], bold, size, width);
        return kept;
    }

    /// <summary>Whether any of <paramref name="text"/> can be drawn (a name in a script no font here has cannot).</summary>
    public bool CanDraw(string text, bool bold) => Drawable(text, bold).Length > 0;

    /// <summary>The width <paramref name="text"/> takes, as drawn.</summary>
    public float Measure(string text, bool bold, float size)
    {
        var width = 0f;
        foreach (var (typeface, run) in Runs(text, bold))
        {
            using var font = new SKFont(typeface, size);
            width += Shaper(typeface).Shape(run, font).Width;
        }

        return width;
    }

    /// <summary>Draws one line from <paramref name="x"/> on the baseline <paramref name="y"/>; returns its width.</summary>
    public float Draw(SKCanvas canvas, string line, float x, float y, bool bold, float size, SKPaint paint)
    {
        var start = x;
        foreach (var (typeface, run) in Runs(line, bold))
        {
            using var font = new SKFont(typeface, size);
            var shaper = Shaper(typeface);
            canvas.DrawShapedText(shaper, run, x, y, SKTextAlign.Left, font, paint);
            x += shaper.Shape(run, font).Width;
        }

        return x - start;
    }

    public void Dispose()
    {
        foreach (var shaper in _shapers.Values)
        {
            shaper.Dispose();
        }
    }

    /// <summary>The text with every character no typeface has (an emoji, without an emoji font) left out, spaces kept single.</summary>
    private string Drawable(string text, bool bold)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (kept.Length > 0 && kept[^1] != ' ')
                {
                    kept.Append(' ');
                }
            }
            else if (!Rune.IsControl(rune) && fonts.For(rune, bold) is not null)
            {
                kept.Append(rune.ToString());
            }
        }

        return kept.ToString().Trim();
    }

    /// <summary>Consecutive characters drawn with the same typeface.</summary>
    private List<(SKTypeface Typeface, string Text)> Runs(string text, bool bold)
    {
        var runs = new List<(SKTypeface, string)>();
        var primary = bold ? fonts.Bold : fonts.Regular;
        SKTypeface? current = null;
        var run = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var typeface = Rune.IsWhiteSpace(rune) ? current ?? primary : fonts.For(rune, bold);
            if (typeface is null)
            {
                continue;
            }

            if (current is not null && typeface != current)
            {
                runs.Add((current, run.ToString()));
                run.Clear();
            }

            current = typeface;
            run.Append(rune.ToString());
        }

        if (current is not null && run.Length > 0)
        {
            runs.Add((current, run.ToString()));
        }

        return runs;
    }

    /// <summary>Break opportunities: a space begins a token (with the word after it), and every CJK character is a token of its own.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var token = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if ((rune.Value == ' ' || IsCjk(rune)) && token.ToString().Trim().Length > 0)
            {
                yield return token.ToString();
                token.Clear();
            }

            token.Append(rune.ToString());
            if (IsCjk(rune))
            {
                yield return token.ToString();
                token.Clear();
            }
        }

        if (token.Length > 0)
        {
            yield return token.ToString();
        }
    }

    private static bool IsCjk(Rune rune) => rune.Value is (>= 0x2E80 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0xFF00 and <= 0xFFEF) or (>= 0x20000 and <= 0x2FA1F);

    /// <summary>How many characters (whole text elements) of <paramref name="text"/> fit in <paramref name="width"/>; at least one.</summary>
    private int Fitting(string text, bool bold, float size, float width)
    {
        var boundaries = TextElementBoundaries(text);
        var fits = boundaries[0];
        foreach (var boundary in boundaries)
        {
            if (Measure(text[..boundary], bold, size) > width)
            {
                break;
            }

            fits = boundary;
        }

        return fits;
    }

    /// <summary>The line with text elements taken off its end until it and "…" fit.</summary>
    private string Shorten(string line, bool bold, float size, float width)
    {
        var boundaries = TextElementBoundaries(line);
        for (var i = boundaries.Count - 1; i >= 0; i--)
        {
            var candidate = line[..boundaries[i]].TrimEnd() + Ellipsis;
            if (Measure(candidate, bold, size) <= width)
            {
                return candidate;
            }
        }

        return Ellipsis;
    }

    /// <summary>The end index of each text element (a letter with its accents, a surrogate pair) of <paramref name="text"/>.</summary>
    private static List<int> TextElementBoundaries(string text)
    {
        var ends = new List<int>();
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            ends.Add(elements.ElementIndex + elements.GetTextElement().Length);
        }

        return ends.Count == 0 ? [0] : ends;
    }

    private SKShaper Shaper(SKTypeface typeface)
    {
        if (!_shapers.TryGetValue(typeface, out var shaper))
        {
            shaper = new SKShaper(typeface);
            _shapers[typeface] = shaper;
        }

        return shaper;
    }
}
