using System.Net;
using System.Text.RegularExpressions;

namespace FourSite.Generation.Writers;

/// <summary>
/// Turns untrusted text (from GitHub or the AI) into plain text: markup and script-like fragments removed, entities
/// decoded once, whitespace collapsed, length capped. Rendering still HTML-encodes it; this keeps stored data clean too.
/// </summary>
public static partial class PlainText
{
    public static string Clean(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var cleaned = WebUtility.HtmlDecode(text);
        cleaned = ScriptOrStyleBlock().Replace(cleaned, " ");
        cleaned = Tag().Replace(cleaned, " ");
        // Repeat until stable, so "javajavascript:script:" cannot reassemble itself.
        string previous;
        do
        {
            previous = cleaned;
            cleaned = DangerousScheme().Replace(cleaned, "");
            cleaned = EventHandler().Replace(cleaned, "");
        }
        while (cleaned != previous);

        cleaned = cleaned.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal);
        cleaned = ControlCharacters().Replace(cleaned, " ");
        cleaned = Whitespace().Replace(cleaned, " ").Trim();
        return cleaned.Length <= maxLength ? cleaned : cleaned[..maxLength].TrimEnd() + "…";
    }

    /// <summary>
    /// The text without GitHub's emoji shortcodes (<c>:rocket:</c>), which only GitHub turns into pictures; null or
    /// blank stays empty.
    /// </summary>
    public static string WithoutEmojiShortcodes(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "" : Whitespace().Replace(EmojiShortcode().Replace(text, " "), " ").Trim();

    /// <summary>An absolute http(s) URL, or null: anything else (javascript:, data:, relative) is dropped.</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && url!.Length <= 500
            ? uri.AbsoluteUri
            : null;

    [GeneratedRegex(@"(?<![\w:]):[a-z0-9_+-]+:(?![\w:/])")]
    private static partial Regex EmojiShortcode();

    [GeneratedRegex(@"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyleBlock();

    [GeneratedRegex(@"<[A-Za-z/!?][^>]*>?")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(javascript|vbscript|data)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex DangerousScheme();

    [GeneratedRegex(@"\bon[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"[\u0000-\u001F\u007F]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
