using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace FourSite.Ops.Scanning;

/// <summary>What no answer may show: a server error, internals in its body, or a page without the security headers.</summary>
public static partial class AnswerChecks
{
    public static IEnumerable<string> ProblemsOf(int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, string body)
    {
        if (status >= 500)
        {
            yield return "server error";
        }

        if (Internals().Match(body) is { Success: true } leak)
        {
            yield return $"internal detail in the answer: \"{leak.Value.Trim()}\"";
        }

        // Only a body can be sniffed (the server's own refusal of a malformed request line has none).
        if (body.Length > 0 && (!headers.TryGetValues("X-Content-Type-Options", out var sniffing) || !sniffing.Contains("nosniff", StringComparer.OrdinalIgnoreCase)))
        {
            yield return "no X-Content-Type-Options: nosniff";
        }

        if (contentHeaders?.ContentType?.MediaType != "text/html")
        {
            yield break;
        }

        var policy = headers.TryGetValues("Content-Security-Policy", out var policies) ? string.Join(';', policies) : null;
        if (policy is null)
        {
            yield return "a page without Content-Security-Policy";
        }

        if (!headers.Contains("X-Frame-Options") && policy?.Contains("frame-ancestors", StringComparison.Ordinal) != true)
        {
            yield return "a page that any site may frame (no X-Frame-Options, no frame-ancestors)";
        }

        if (!headers.Contains("Referrer-Policy"))
        {
            yield return "a page without Referrer-Policy";
        }
    }

    /// <summary>Stack frames, exception types, driver and server names, source paths, connection strings.</summary>
    [GeneratedRegex(@"(\n\s*at [\w.`<>\[\]]+\(|\.cs:line \d+|\bSystem\.[\w.]*Exception\b|\bNpgsql\.|\bPostgresException\b|\bSQLSTATE\b|\bStackExchange\.Redis\.|\bRabbitMQ\.Client\.|\bMassTransit\.|""(stackTrace|exceptionDetails)""\s*:|\b(Password|Pwd)=[^;""\s]+|\bHost=[\w.-]+;)",
        RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1_000)]
    private static partial Regex Internals();
}
