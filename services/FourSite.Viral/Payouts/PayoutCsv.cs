namespace FourSite.Viral.Payouts;

/// <summary>CSV cells of payout exports: an operator's batch name is quoted, and never read as a formula by a spreadsheet.</summary>
public static class PayoutCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Cell(string? value) => value is null ? "" :
        "\"" + (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
