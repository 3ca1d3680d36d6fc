using System.Globalization;
using System.Text;

namespace FourSite.Leads.Apis;

/// <summary>
/// Leads as CSV (RFC 4180). A cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
/// prefixed with an apostrophe, so an exported email like <c>=HYPERLINK(...)@x.io</c> stays text.
/// </summary>
public static class LeadCsv
{
    private static readonly string[] Header =
        ["leadId", "siteId", "email", "leadScore", "newsletterOptIn", "projectInterests", "socialPlatforms", "riskFlags", "captureCount", "capturedAt", "updatedAt"];

    public static string Write(IEnumerable<LeadView> leads)
    {
        var csv = new StringBuilder();
        AppendRow(csv, Header);
        foreach (var lead in leads)
        {
            AppendRow(csv,
            [
                lead.LeadId.ToString(), lead.SiteId.ToString(), lead.Email, lead.LeadScore.ToString(CultureInfo.InvariantCulture),
                lead.NewsletterOptIn ? "true" : "false", string.Join(';', lead.ProjectInterests), string.Join(';', lead.SocialPlatforms),
                string.Join(';', lead.RiskFlags), lead.CaptureCount.ToString(CultureInfo.InvariantCulture),
                lead.CapturedAt.ToString("O", CultureInfo.InvariantCulture), lead.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
            ]);
        }

        return csv.ToString();
    }

    public static string Cell(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }

    private static void AppendRow(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}
