using System.Text;
using static FourSite.Leads.Email.EmailLayout;

namespace FourSite.Leads.Email;

/// <summary>
/// The small pages emailed links open. Each state change is a form's POST (mail scanners follow links, never forms);
/// the token in the address is kept out of Referer headers, caches and search engines.
/// </summary>
public static class EmailPage
{
    public static IResult Show(HttpContext context, int statusCode, string heading, string bodyHtml)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(Encode(heading)).Append(" · FourSite</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/platform.css\"></head><body><main class=\"email-page\" data-testid=\"email-page\">")
            .Append("<h1>").Append(Encode(heading)).Append("</h1>").Append(bodyHtml)
            .Append("</main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>A form that POSTs back to the page's own address, with a submit button and any further fields.</summary>
    public static string Form(string buttonText, string testId, string fieldsHtml = "") =>
        $"<form method=\"post\">{fieldsHtml}<button type=\"submit\" data-testid=\"{Encode(testId)}\">{Encode(buttonText)}</button></form>";

    /// <summary>A form that POSTs to another address.</summary>
    public static string FormTo(string action, string buttonText, string testId) =>
        $"<form method=\"post\" action=\"{Encode(action)}\"><button type=\"submit\" data-testid=\"{Encode(testId)}\">{Encode(buttonText)}</button></form>";

    public static string Text(string text) => $"<p>{Encode(text)}</p>";
}
