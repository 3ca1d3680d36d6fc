using System.Globalization;
using System.Text;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>A site's analytics, a day a row (RFC 4180), for owners who keep their own books; every cell is a date or a number.</summary>
public static class SiteAnalyticsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Write(SiteAnalyticsReport report)
    {
        var csv = new StringBuilder("date,visitors,pageViews,captures,confirmed,shares\r\n");
        foreach (var day in report.Days)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{day.Date:yyyy-MM-dd},{day.Visitors},{day.PageViews},{day.Captures},{day.Confirmed},{day.Shares}\r\n");
        }

        return csv.ToString();
    }

    public static string FileName(SiteAnalyticsReport report) => $"analytics-{report.SiteId:N}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.csv";
}
