using System.Globalization;

namespace FourSite.Leads.Capture;

/// <summary>
/// Leads as CSV (RFC 4180). A cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
/// prefixed with an apostrophe, so an exported email like <c>=HYPERLINK(...)@x.io</c> stays text.
/// </summary>
public static class LeadCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly string[] Header =
        ["leadId", "siteId", "email", "leadScore", "newsletterOptIn", "projectInterests", "socialPlatforms", "riskFlags", "captureCount", "capturedAt", "updatedAt"];

    public static string Write(IEnumerable<LeadView> leads)
    {
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        csv.Write(HeaderLine());
        foreach (var lead in leads)
        {
            csv.Write(Line(lead));
        }

        return csv.ToString();
    }

    /// <summary>Writes the header, then each lead as it arrives: an export of any size holds one row in memory.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<LeadView> leads, TextWriter csv, CancellationToken cancellationToken)
    {
        await csv.WriteAsync(HeaderLine());
        await foreach (var lead in leads.WithCancellation(cancellationToken))
        {
            await csv.WriteAsync(Line(lead));
        }
    }

    public static string Cell(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }

    private static string HeaderLine() => Join(Header);

    private static string Line(LeadView lead) => Join(
    [
        lead.LeadId.ToString(), lead.SiteId.ToString(), lead.Email, lead.LeadScore.ToString(CultureInfo.InvariantCulture),
        lead.NewsletterOptIn ? "true" : "false", string.Join(';', lead.ProjectInterests), string.Join(';', lead.SocialPlatforms),
        string.Join(';', lead.RiskFlags), lead.CaptureCount.ToString(CultureInfo.InvariantCulture),
        lead.CapturedAt.ToString("O", CultureInfo.InvariantCulture), lead.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    ]);

    private static string Join(IEnumerable<string> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";
}
