using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FourSite.Generation.GitHub;

/// <summary>
/// A README as GitHub sent it. It is asked for raw, but GitHub (or a GitHub Enterprise proxy) may still answer with the
/// JSON content object, the text base64-encoded in <c>content</c>: that is decoded, never shown as JSON.
/// </summary>
public static class ReadmeText
{
    public static string From(string? body, MediaTypeHeaderValue? contentType)
    {
        if (string.IsNullOrEmpty(body))
        {
            return "";
        }

        var looksLikeJson = contentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true && !IsRawMediaType(contentType.MediaType)
            || body.TrimStart().StartsWith('{');
        return looksLikeJson && TryDecodeContentObject(body, out var text) ? text : body;
    }

    /// <summary><c>application/vnd.github.raw+json</c> names the raw text even though it ends in json.</summary>
    private static bool IsRawMediaType(string mediaType) => mediaType.Contains(".raw", StringComparison.OrdinalIgnoreCase);

    private static bool TryDecodeContentObject(string body, out string text)
    {
        text = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var encoding = root.TryGetProperty("encoding", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : "base64";
            if (!string.Equals(encoding, "base64", StringComparison.OrdinalIgnoreCase))
            {
                text = content.GetString() ?? "";
                return true;
            }

            // GitHub wraps base64 at 60 characters with newlines.
            var base64 = content.GetString()!.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            return true;
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            return false;
        }
    }
}
