using System.Text;
using System.Text.Encodings.Web;

namespace FourSite.Leads.Email;

/// <summary>
/// The frame of every email, in HTML and plain text. Every value put into the HTML is encoded here or by the caller's
/// <see cref="Encode"/>: nothing a visitor or maintainer typed reaches it raw.
/// </summary>
public static class EmailLayout
{
    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <param name="heading">Plain text.</param>
    /// <param name="bodyHtml">HTML already made safe.</param>
    /// <param name="footer">Plain text.</param>
    public static string Html(string heading, string bodyHtml, string footer, string? footerLinkText = null, string? footerLink = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(Encode(heading)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2433\">")
            .Append("<div style=\"max-width:600px;margin:0 auto;background:#fff;border-radius:8px;padding:32px\">")
            .Append("<h1 style=\"font-size:22px;margin:0 0 16px\">").Append(Encode(heading)).Append("</h1>")
            .Append(bodyHtml)
            .Append("</div><p style=\"max-width:600px;margin:16px auto;font-size:12px;color:#5b6478\">").Append(Encode(footer));
        if (footerLink is not null)
        {
            html.Append(" <a href=\"").Append(Encode(footerLink)).Append("\" style=\"color:#5b6478\">").Append(Encode(footerLinkText)).Append("</a>");
        }

        return html.Append("</p></body></html>").ToString();
    }

    /// <summary>A call to action: a link styled as a button.</summary>
    public static string Button(string text, string href) =>
        $"<p style=\"margin:24px 0\"><a href=\"{Encode(href)}\" style=\"background:#4f46e5;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block\">{Encode(text)}</a></p>";

    public static string Paragraph(string text) => $"<p style=\"line-height:1.5\">{Encode(text)}</p>";

    public static string Link(string text, string href) => $"<a href=\"{Encode(href)}\">{Encode(text)}</a>";
}
